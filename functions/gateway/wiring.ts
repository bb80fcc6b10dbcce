import type { Config } from "../../shared/config.ts";
import type { ServiceName } from "../../shared/function-names.ts";
import { SERVICE_NAMES } from "../../shared/function-names.ts";
import { createLogger } from "../../shared/log.ts";
import { createPlatform, forFunction, type Platform } from "../../shared/platform.ts";
import type { GatewayDeps } from "./app.ts";
import { inlineUpstream, proxyUpstreamsFromConfig, type Upstreams } from "./upstreams.ts";

/**
 * Gateway dependencies for the configured mode. Inline mode imports every function's app and
 * runs them in this process on one connection pool; proxy mode imports none of them.
 */
export async function createGatewayDeps(
  config: Config,
  /** Where every log line of the process goes (stdout unless injected, e.g. by tests that scan them). */
  logSink?: (line: string) => void,
): Promise<GatewayDeps & { close(): Promise<void> }> {
  const log = createLogger("gateway", config.LOG_LEVEL, logSink);
  if (config.GATEWAY_MODE === "proxy") {
    return { config, log, upstreams: proxyUpstreamsFromConfig(config, SERVICE_NAMES), close: async () => {} };
  }
  const platform = createPlatform(config, "gateway", logSink);
  return { config, log, upstreams: await inlineUpstreams(platform), close: () => platform.close() };
}

export async function inlineUpstreams(platform: Platform): Promise<Upstreams> {
  const factories: Record<
    ServiceName,
    () => Promise<
      {
        createApp: (
          p: Platform,
        ) => { fetch: (r: Request, env?: { inline?: boolean }) => Response | Promise<Response> };
      }
    >
  > = {
    "auth": () => import("../auth/app.ts"),
    "users": () => import("../users/app.ts"),
    "professionals": () => import("../professionals/app.ts"),
    "chat-offers": () => import("../chat-offers/app.ts"),
    "payments": () => import("../payments/app.ts"),
    "notifications": () => import("../notifications/app.ts"),
  };
  const entries = await Promise.all(SERVICE_NAMES.map(async (service) => {
    const { createApp } = await factories[service]();
    return [service, inlineUpstream(createApp(forFunction(platform, service)))] as const;
  }));
  return Object.fromEntries(entries) as Upstreams;
}
