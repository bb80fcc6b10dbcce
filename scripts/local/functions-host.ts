import { inlineUpstreams } from "../../functions/gateway/wiring.ts";
import { loadConfig } from "../../shared/config.ts";
import { SERVICE_NAMES, type ServiceName } from "../../shared/function-names.ts";
import { createPlatform } from "../../shared/platform.ts";

/**
 * Locally, the two things Supabase provides around the functions that events need:
 *
 * - **The functions' public URL.** On Supabase every function answers at
 *   `https://<ref>.supabase.co/functions/v1/<fn>/…`; that is where QStash delivers events
 *   (`POST …/<fn>/events`) and the URL receivers verify signatures against. This host serves every
 *   function (in-process, like the gateway's inline mode) at `http://127.0.0.1:<port>/functions/v1/<fn>/…`
 *   and exports `FUNCTIONS_PUBLIC_URL` so every process of the stack — the gateway, test
 *   processes, a function run alone — publishes to it. The QStash stand-in delivers here over HTTP.
 * - **The sweep schedule.** Production calls `POST …/notifications/events/sweep` from a QStash
 *   schedule or pg_cron; this host calls the same route every `sweepIntervalMs` with the secret.
 *
 * It also exports shorter relay timings than production's defaults, so a crashed publish is
 * retried within seconds locally (unless the environment already sets them).
 */
export type FunctionsHost = { url: string; env: Record<string, string>; stop(): Promise<void> };

export async function startFunctionsHost(
  env: Record<string, string>,
  options: { port: number; sweepIntervalMs: number; log?: (msg: string) => void },
): Promise<FunctionsHost> {
  let handle: (request: Request) => Promise<Response> = () =>
    Promise.resolve(new Response("starting", { status: 503 }));
  const server = Deno.serve({ hostname: "127.0.0.1", port: options.port, onListen() {} }, (r) => handle(r));
  const url = `http://127.0.0.1:${server.addr.port}/functions/v1`;
  const local: Record<string, string> = {
    FUNCTIONS_PUBLIC_URL: url,
    RELAY_SWEEP_SECRET: `local-sweep-${crypto.randomUUID()}`,
    RELAY_PENDING_GRACE_MS: "1000",
    RELAY_LEASE_MS: "5000",
    RELAY_BACKOFF_BASE_MS: "500",
    RELAY_BACKOFF_MAX_MS: "10000",
    RELAY_PUBLISH_TIMEOUT_MS: "3000",
  };
  const hostEnv = Object.fromEntries(Object.entries(local).filter(([k]) => !env[k]));
  const config = loadConfig({ LOG_LEVEL: "warn", ...env, ...hostEnv });
  const platform = createPlatform(config, "gateway");
  const upstreams = await inlineUpstreams(platform);

  handle = async (request) => {
    const incoming = new URL(request.url);
    const match = /^\/functions\/v1\/([^/]+)(\/.*)?$/.exec(incoming.pathname);
    const fn = match?.[1] as ServiceName | undefined;
    if (!fn || !SERVICE_NAMES.includes(fn)) return new Response("function not found", { status: 404 });
    const forwarded = new Request(`http://functions.internal/${fn}${match![2] ?? ""}${incoming.search}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      // @ts-ignore: Deno needs `duplex` to stream a request body.
      duplex: "half",
    });
    return await upstreams[fn](forwarded);
  };

  let sweeping: Promise<void> | null = null;
  const sweep = async () => {
    try {
      const response = await fetch(`${config.FUNCTIONS_PUBLIC_URL}/notifications/events/sweep`, {
        method: "POST",
        headers: { authorization: `Bearer ${config.RELAY_SWEEP_SECRET}` },
      });
      await response.body?.cancel();
      if (!response.ok) options.log?.(`sweep answered ${response.status}`);
    } catch (error) {
      options.log?.(`sweep failed: ${error instanceof Error ? error.message : error}`);
    }
  };
  const timer = options.sweepIntervalMs > 0
    ? setInterval(() => sweeping ??= sweep().finally(() => sweeping = null), options.sweepIntervalMs)
    : undefined;

  return {
    url,
    env: hostEnv,
    async stop() {
      clearInterval(timer);
      await sweeping;
      await server.shutdown();
      await platform.close();
    },
  };
}
