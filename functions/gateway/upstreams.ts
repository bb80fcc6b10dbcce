import { type GatewayConfig, serviceUrlVariable } from "./config.ts";
import { type ServiceName } from "../../shared/function-names.ts";
import { proxy } from "hono/proxy";
import type { AppEnv } from "../../shared/app-env.ts";
import { AppError } from "../../shared/errors.ts";

/**
 * A request on its way to the function that owns its path. The caller's request travels as it
 * came (method, headers, body, query): what the gateway decided travels beside it.
 */
export type Forwarded = {
  request: Request;
  /** Where the function serves it: `/<fn><public path>` (Supabase serves a function under its name). */
  path: string;
  requestId: string;
  /** `X-Forwarded-For` as the function must see it: the caller's, plus this hop when there is one. */
  forwardedFor?: string;
};

/** How the gateway reaches a function. */
export type Upstream = (forwarded: Forwarded) => Promise<Response>;
export type Upstreams = Record<ServiceName, Upstream>;

/** A Hono app as the gateway calls it: `fetch` with the bindings of AppEnv. */
export type FetchApp = {
  fetch: (request: Request, env?: AppEnv["Bindings"]) => Response | Promise<Response>;
};

const INTERNAL_ORIGIN = "http://gateway.internal";

/** The gateway's own request to a function's built-in route (`/health`, `/openapi.json`). */
export function internalRequest(service: ServiceName, route: string, requestId: string): Forwarded {
  const path = `/${service}${route}`;
  return { request: new Request(`${INTERNAL_ORIGIN}${path}`), path, requestId };
}

/**
 * Inline mode: the function's Hono app runs in this process and is handed the caller's request
 * itself. A copy under an internal URL with two headers changed cost more than the function's own
 * work on a small route, so the bindings carry the path to dispatch on, the id, the forwarded-for
 * chain, and what the gateway's own stack already did for the request (AppEnv's Bindings).
 */
export function inlineUpstream(app: FetchApp): Upstream {
  return async ({ request, path, requestId, forwardedFor }) =>
    await app.fetch(request, { inline: true, path, requestId, forwardedFor });
}

/**
 * Proxy mode: forwards over HTTP to a separately deployed function with Hono's proxy helper (it
 * drops hop-by-hop headers both ways and streams both bodies). The request keeps method, headers,
 * body and query (repeated keys included); a slow upstream becomes 504, an unreachable one 502.
 */
export function proxyUpstream(service: ServiceName, baseUrl: string, timeoutMs: number): Upstream {
  const base = baseUrl.replace(/\/+$/, "");
  return async ({ request, path, requestId, forwardedFor }) => {
    const query = request.url.indexOf("?");
    const target = `${base}${path}${query === -1 ? "" : request.url.slice(query)}`;
    // A request of our own (not the caller's, whose signal is the connection's): its copy of the
    // caller's headers is amended in place. fetch sets host and length for the new connection.
    const outgoing = new Request(target, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
      // @ts-ignore: Deno needs `duplex` to stream a request body.
      duplex: "half",
    });
    const headers = outgoing.headers;
    headers.delete("host");
    headers.delete("content-length");
    headers.set("x-request-id", requestId);
    if (forwardedFor) headers.set("x-forwarded-for", forwardedFor);
    try {
      return await proxy(target, { raw: outgoing, redirect: "manual" });
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
