import { type GatewayConfig, serviceUrlVariable } from "./config.ts";
import { type ServiceName } from "../../shared/function-names.ts";
import { proxy } from "hono/proxy";
import { AppError } from "../../shared/errors.ts";

/** How the gateway reaches a function: `(request for /<fn>/<public path>) → response`. */
export type Upstream = (request: Request) => Promise<Response>;
export type Upstreams = Record<ServiceName, Upstream>;

/** A Hono app as the gateway calls it: `fetch` with the bindings of AppEnv. */
export type FetchApp = {
  fetch: (
    request: Request,
    env?: { inline?: boolean; requestId?: string; remoteAddr?: { hostname: string } },
  ) => Response | Promise<Response>;
};

/**
 * Inline mode: the function's Hono app runs in this process. The `inline` binding tells it what
 * the gateway's own stack already does for the request (AppEnv's Bindings), and its id.
 */
export function inlineUpstream(app: FetchApp): Upstream {
  return async (request) =>
    await app.fetch(request, { inline: true, requestId: request.headers.get("x-request-id") ?? undefined });
}

/**
 * Proxy mode: forwards over HTTP to a separately deployed function with Hono's proxy helper (it
 * drops hop-by-hop headers both ways and streams both bodies). The request keeps method, headers,
 * body and query (repeated keys included); a slow upstream becomes 504, an unreachable one 502.
 */
export function proxyUpstream(service: ServiceName, baseUrl: string, timeoutMs: number): Upstream {
  const base = baseUrl.replace(/\/+$/, "");
  return async (request) => {
    const incoming = new URL(request.url);
    // fetch sets these for the new connection; the caller's values would be wrong there. (A
    // Headers object: a plain object given to proxy() would replace the caller's headers.)
    const headers = new Headers(request.headers);
    headers.delete("host");
    headers.delete("content-length");
    try {
      return await proxy(`${base}${incoming.pathname}${incoming.search}`, {
        raw: request,
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "TimeoutError") {
        throw new AppError("gateway_timeout", `El servicio ${service} no respondió a tiempo`);
      }
      throw new AppError("bad_gateway", `El servicio ${service} no está disponible`);
    }
  };
}

/** Proxy upstreams from configuration: a per-service URL, else `FUNCTIONS_BASE_URL`. */
export function proxyUpstreamsFromConfig(config: GatewayConfig, services: readonly ServiceName[]): Upstreams {
  const entries = services.map((service) => {
    const url = config[serviceUrlVariable(service)] ?? config.FUNCTIONS_BASE_URL;
    if (!url) throw new Error(`No URL configured for ${service} (${serviceUrlVariable(service)})`);
    return [service, proxyUpstream(service, url, config.GATEWAY_UPSTREAM_TIMEOUT_MS)];
  });
  return Object.fromEntries(entries) as Upstreams;
}
