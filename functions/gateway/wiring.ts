import { loadConfig } from "../../shared/config.ts";
import { SERVICE_NAMES, type ServiceName } from "../../shared/function-names.ts";
import { createLogger, type LogSink } from "../../shared/log.ts";
import { createPlatform, forFunction, type Platform } from "../../shared/platform.ts";
import type { ServiceApp } from "../../shared/route.ts";
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
export function createGatewayDeps(
  env: Record<string, string | undefined>,
  /** Where every log line of the process goes (stdout unless injected, e.g. by tests that scan them). */
  logSink?: LogSink,
): GatewayDeps & { apps?: Record<ServiceName, FetchApp>; close(): Promise<void> } {
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
  const apps = inlineApps(platform);
  // The apps too: called without the `inline` binding, each is the function as served alone.
  return { config, log, upstreams: inlineUpstreams(apps), apps, close: () => platform.close() };
}

/**
 * Every function's app in this process, each under its own name on the shared platform. Each is
 * imported and built on its first request, not at boot: a cold worker answers its first request
 * after loading only the function that owns it (`deno task bench boot`: a fresh gateway's first
 * GET /api/v1/users/me went from 12.0x the hello-world floor to 8.5x). Settings were already
 * checked at boot, so what is left to fail later is only a module that cannot load.
 */
export function inlineApps(platform: Platform<InlineGatewayConfig>): Record<ServiceName, FetchApp> {
  const build = (service: ServiceName) => async () =>
    (await APP_MODULES[service]()).createApp(forFunction(platform, service) as never);
  return Object.fromEntries(SERVICE_NAMES.map((s) => [s, onFirstUse(build(s))])) as Record<
    ServiceName,
    FetchApp
  >;
}

/**
 * Each function's app module, imported when first needed (string literals, so bundlers see them).
 * Tests that build every function's app in-process use it too.
 */
export const APP_MODULES: Record<ServiceName, () => Promise<{ createApp(platform: never): ServiceApp }>> = {
  "auth": () => import("../auth/app.ts"),
  "users": () => import("../users/app.ts"),
  "professionals": () => import("../professionals/app.ts"),
  "chat-offers": () => import("../chat-offers/app.ts"),
  "payments": () => import("../payments/app.ts"),
  "notifications": () => import("../notifications/app.ts"),
};

/**
 * An app built by `build` on its first request; requests that arrive while it loads wait for the
 * same one. A build that failed is tried again by the next request.
 */
export function onFirstUse(build: () => Promise<FetchApp>): FetchApp {
  let app: FetchApp | undefined;
  let loading: Promise<FetchApp> | undefined;
  const load = () =>
    loading ??= build().then(
      (built) => app = built,
      (error) => {
        loading = undefined;
        throw error;
      },
    );
  return {
    // Once built, a plain call: no promise of ours on the hot path.
    fetch: (request, env) =>
      app ? app.fetch(request, env) : load().then((built) => built.fetch(request, env)),
  };
}

/** The gateway's upstreams in inline mode: each function's app called in-process. */
export function inlineUpstreams(apps: Record<ServiceName, FetchApp>): Upstreams {
  return Object.fromEntries(
    SERVICE_NAMES.map((service) => [service, inlineUpstream(apps[service])]),
  ) as Upstreams;
}
