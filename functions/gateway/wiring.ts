import { loadConfig } from "../../shared/config.ts";
import { SERVICE_NAMES, type ServiceName } from "../../shared/function-names.ts";
import { createLogger, type LogSink } from "../../shared/log.ts";
import { createPlatform, forFunction, type Platform } from "../../shared/platform.ts";
import type { GatewayDeps } from "./app.ts";
import {
  checkGatewayConfig,
  GATEWAY_SETTINGS,
  INLINE_GATEWAY_SETTINGS,
  type InlineGatewayConfig,
} from "./config.ts";
import { type FetchApp, inlineUpstream, proxyUpstreamsFromConfig, type Upstreams } from "./upstreams.ts";

/**
 * Gateway dependencies for the configured mode, from the environment. Proxy mode parses only the
 * gateway's settings and imports no function; inline mode parses every function's settings, imports
 * every function's app and runs them in this process on one connection pool.
 */
export async function createGatewayDeps(
  env: Record<string, string | undefined>,
  /** Where every log line of the process goes (stdout unless injected, e.g. by tests that scan them). */
  logSink?: LogSink,
): Promise<GatewayDeps & { apps?: Record<ServiceName, FetchApp>; close(): Promise<void> }> {
  const gateway = loadConfig(env, GATEWAY_SETTINGS, checkGatewayConfig);
  const log = createLogger("gateway", gateway.LOG_LEVEL, logSink);
  if (gateway.GATEWAY_MODE === "proxy") {
    return {
      config: gateway,
      log,
      upstreams: proxyUpstreamsFromConfig(gateway, SERVICE_NAMES),
      close: async () => {},
    };
  }
  const config = loadConfig(env, INLINE_GATEWAY_SETTINGS, checkGatewayConfig);
  const platform = createPlatform(config, "gateway", logSink);
  const apps = await inlineApps(platform);
  // The apps too: called without the `inline` binding, each is the function as served alone.
  return { config, log, upstreams: inlineUpstreams(apps), apps, close: () => platform.close() };
}

/** Every function's app in this process, each under its own name on the shared platform. */
export async function inlineApps(
  platform: Platform<InlineGatewayConfig>,
): Promise<Record<ServiceName, FetchApp>> {
  const [auth, users, professionals, chatOffers, payments, notifications] = await Promise.all([
    import("../auth/app.ts"),
    import("../users/app.ts"),
    import("../professionals/app.ts"),
    import("../chat-offers/app.ts"),
    import("../payments/app.ts"),
    import("../notifications/app.ts"),
  ]);
  return {
    "auth": auth.createApp(forFunction(platform, "auth")),
    "users": users.createApp(forFunction(platform, "users")),
    "professionals": professionals.createApp(forFunction(platform, "professionals")),
    "chat-offers": chatOffers.createApp(forFunction(platform, "chat-offers")),
    "payments": payments.createApp(forFunction(platform, "payments")),
    "notifications": notifications.createApp(forFunction(platform, "notifications")),
  };
}

/** The gateway's upstreams in inline mode: each function's app called in-process. */
export function inlineUpstreams(apps: Record<ServiceName, FetchApp>): Upstreams {
  return Object.fromEntries(
    SERVICE_NAMES.map((service) => [service, inlineUpstream(apps[service])]),
  ) as Upstreams;
}
