import { freePort } from "../../scripts/local/ports.ts";
import { httpApi, type TestApi } from "../support/http-api.ts";

/**
 * A functions host process (host-main.ts) on a port of its own, which a test can kill (SIGKILL:
 * nothing runs on the way out) and start again on the same port, so every URL it handed out —
 * payment links, MercadoPago's notification URL, QStash's destinations — keeps working.
 *
 * @example
 * const host = await startHostProcess(env);
 * const gw = host.gateway;                 // the API as a frontend reaches it on Supabase
 * await host.kill(); await host.start();   // a crash and a restart
 * await host.stop();
 */
export type HostProcess = {
  /** `http://127.0.0.1:<port>/functions/v1` (FUNCTIONS_PUBLIC_URL of the processes it runs). */
  readonly url: string;
  /** The gateway function, `/api/v1/…` and bare paths as on Supabase. */
  readonly gateway: TestApi;
  /** Every function at its own path (`/users/health`, `/notifications/events`…). */
  readonly functions: TestApi;
  /** Its RELAY_SWEEP_SECRET: what a scheduler sends to the sweep and reconciliation routes. */
  readonly sweepSecret: string;
  /** Starts it again (after `kill`); resolves once it answers; answers the boot time in ms. */
  start(): Promise<number>;
  kill(): Promise<void>;
  /** SIGTERM (a clean shutdown), then waits for the exit. */
  stop(): Promise<void>;
};

export async function startHostProcess(
  env: Record<string, string>,
  options: { sweepIntervalMs?: number } = {},
): Promise<HostProcess> {
  const root = new URL("../..", import.meta.url).pathname;
  const port = freePort();
  const url = `http://127.0.0.1:${port}/functions/v1`;
  // Its own public URL and sweep secret: events it publishes come back to it, not to the stack's host.
  const sweepSecret = `fault-host-${crypto.randomUUID()}`;
  const { FUNCTIONS_PUBLIC_URL: _url, RELAY_SWEEP_SECRET: _secret, ...rest } = env;
  const processEnv = {
    ...rest,
    FUNCTIONS_PUBLIC_URL: url,
    RELAY_SWEEP_SECRET: sweepSecret,
    PUBLIC_API_URL: `${url}/gateway`,
    MERCADOPAGO_NOTIFICATION_URL: `${url}/gateway/api/v1/webhook/mercadopago`,
    // Unhandled errors (a 500) still reach stderr.
    LOG_LEVEL: "error",
  };
  let child: Deno.ChildProcess | null = null;

  async function start(): Promise<number> {
    const started = performance.now();
    child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${root}tests/reliability/host-main.ts`,
        String(port),
        String(options.sweepIntervalMs ?? 300),
      ],
      cwd: root,
      env: processEnv,
      stdin: "null",
      // Its log lines (errors only) show in the test's output.
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    const running = child;
    let exited = false;
    running.status.then(() => exited = true);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (exited) throw new Error("the functions host process exited while starting");
      // The gateway's aggregated health answers 200 once the process serves, whatever it depends on.
      const status = await fetch(`${url}/gateway/health`).then((r) => (r.body?.cancel(), r.status), () => 0);
      if (status === 200) return Math.round(performance.now() - started);
      if (Date.now() > deadline) {
        running.kill("SIGKILL");
        throw new Error(`the functions host process did not answer within 30 s (last answer: ${status})`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const signal = async (name: Deno.Signal) => {
    const running = child;
    child = null;
    if (!running) return;
    try {
      running.kill(name);
    } catch { /* already gone */ }
    await running.status;
  };

  await start();
  return {
    url,
    gateway: httpApi(`${url}/gateway`),
    functions: httpApi(url),
    sweepSecret,
    start,
    kill: () => signal("SIGKILL"),
    stop: () => signal("SIGTERM"),
  };
}
