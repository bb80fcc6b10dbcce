import { createApp as createGatewayApp } from "../../functions/gateway/app.ts";
import { checkGatewayConfig, INLINE_GATEWAY_SETTINGS } from "../../functions/gateway/config.ts";
import { inlineApps, inlineUpstreams } from "../../functions/gateway/wiring.ts";
import { loadConfig } from "../../shared/config.ts";
import { SERVICE_NAMES, type ServiceName } from "../../shared/function-names.ts";
import type { LogLevel, LogSink } from "../../shared/log.ts";
import { createPlatform } from "../../shared/platform.ts";
import { EDGE_RUNTIME_INFO, edgeRequest } from "./supabase-edge.ts";

/**
 * Locally, the two things Supabase provides around the functions that events need:
 *
 * - **The functions' public URL.** On Supabase every function answers at
 *   `https://<ref>.supabase.co/functions/v1/<fn>/…`; that is where QStash delivers events
 *   (`POST …/<fn>/events`) and the URL receivers verify signatures against, and the gateway's
 *   (`…/functions/v1/gateway/api/v1/…`) is how a frontend reaches the API. This host serves every
 *   function, the gateway included, in-process at `http://127.0.0.1:<port>/functions/v1/<fn>/…`,
 *   with the edge's header behaviour (./supabase-edge.ts), and exports `FUNCTIONS_PUBLIC_URL` so
 *   every process of the stack — the gateway, test processes, a function run alone — publishes to
 *   it. The QStash stand-in delivers here over HTTP.
 * - **The sweep schedule.** Production calls `POST …/notifications/events/sweep` (and chat-offers'
 *   `POST …/chat-offers/events/timers`, auth's `POST …/auth/events/sessions`) from a QStash schedule
 *   or pg_cron; this host calls the same routes every `sweepIntervalMs` with the secret.
 *
 * It also exports shorter relay timings than production's defaults, so a crashed publish is
 * retried, and a dead letter redriven, within seconds locally (unless the environment already sets them).
 */
export type FunctionsHost = { url: string; env: Record<string, string>; stop(): Promise<void> };
/**
 * How the host's functions log, given its whole environment (its secrets included): the level
 * they log at and where the lines go. Stdout at LOG_LEVEL (warn by default) when not given.
 */
export type HostLogging = (env: Record<string, string>) => { level: LogLevel; sink: LogSink };

export async function startFunctionsHost(
  env: Record<string, string>,
  options: { port: number; sweepIntervalMs: number; log?: (msg: string) => void; logging?: HostLogging },
): Promise<FunctionsHost> {
  let handle: (request: Request, info: Deno.ServeHandlerInfo) => Promise<Response> = () =>
    Promise.resolve(new Response("starting", { status: 503 }));
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port, onListen() {} },
    (request, info) => handle(request, info),
  );
  const url = `http://127.0.0.1:${server.addr.port}/functions/v1`;
  const local: Record<string, string> = {
    FUNCTIONS_PUBLIC_URL: url,
    RELAY_SWEEP_SECRET: `local-sweep-${crypto.randomUUID()}`,
    RELAY_PENDING_GRACE_MS: "1000",
    RELAY_LEASE_MS: "5000",
    RELAY_BACKOFF_BASE_MS: "500",
    RELAY_BACKOFF_MAX_MS: "10000",
    RELAY_PUBLISH_TIMEOUT_MS: "3000",
    RELAY_DEAD_LETTER_INTERVAL_MS: "1000",
  };
  const hostEnv = Object.fromEntries(Object.entries(local).filter(([k]) => !env[k]));
  const fullEnv = { LOG_LEVEL: "warn", ...env, ...hostEnv };
  const logging = options.logging?.(fullEnv);
  const config = loadConfig(
    logging ? { ...fullEnv, LOG_LEVEL: logging.level } : fullEnv,
    INLINE_GATEWAY_SETTINGS,
    checkGatewayConfig,
  );
  const platform = createPlatform(config, "gateway", logging?.sink);
  // One copy of every app: the gateway forwards to the same in-process apps the host serves. Called
  // at /functions/v1/<fn> each is a function served alone (its whole HTTP stack), as on Supabase.
  const apps = await inlineApps(platform);
  const upstreams = inlineUpstreams(apps);
  const gateway = createGatewayApp({ config, log: platform.log, upstreams });

  handle = async (request, info) => {
    const incoming = new URL(request.url);
    const match = /^\/functions\/v1\/([^/]+)(\/.*)?$/.exec(incoming.pathname);
    const fn = match?.[1];
    if (fn !== "gateway" && !SERVICE_NAMES.includes(fn as ServiceName)) {
      return new Response("function not found", { status: 404 });
    }
    const target = `http://functions.internal/${fn}${match![2] ?? ""}${incoming.search}`;
    const forwarded = edgeRequest(request, (info.remoteAddr as Deno.NetAddr).hostname, target);
    if (fn === "gateway") return await gateway.fetch(forwarded, EDGE_RUNTIME_INFO);
    return await apps[fn as ServiceName].fetch(forwarded, EDGE_RUNTIME_INFO);
  };

  let sweeping: Promise<void> | null = null;
  const call = async (path: string) => {
    try {
      const response = await fetch(`${config.FUNCTIONS_PUBLIC_URL}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${config.RELAY_SWEEP_SECRET}` },
      });
      await response.body?.cancel();
      if (!response.ok) options.log?.(`sweep ${path} answered ${response.status}`);
    } catch (error) {
      options.log?.(`sweep ${path} failed: ${error instanceof Error ? error.message : error}`);
    }
  };
  // The relay sweep, and the offers'/jobs' timers (production schedules both; see their routes).
  const sweep = async () => {
    await Promise.all([
      call("/notifications/events/sweep"),
      call("/chat-offers/events/timers"),
      call("/auth/events/sessions"),
    ]);
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
