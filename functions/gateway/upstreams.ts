import { type Config, serviceUrlVariable } from "../../shared/config.ts";
import { type ServiceName } from "../../shared/function-names.ts";
import { AppError } from "../../shared/errors.ts";

/** How the gateway reaches a function: `(request for /<fn>/<public path>) → response`. */
export type Upstream = (request: Request) => Promise<Response>;
export type Upstreams = Record<ServiceName, Upstream>;

type FetchApp = { fetch: (request: Request, env?: { inline?: boolean }) => Response | Promise<Response> };

/**
 * Inline mode: the function's Hono app runs in this process. The `inline` binding tells it the
 * gateway already logs the request.
 */
export function inlineUpstream(app: FetchApp): Upstream {
  return async (request) => await app.fetch(request, { inline: true });
}

// Hop-by-hop headers (RFC 9110 §7.6.1) and ones fetch recomputes.
const DROP_REQUEST = [
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "upgrade",
  "host",
  "content-length",
];
const DROP_RESPONSE = ["connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length"];

/**
 * Proxy mode: forwards over HTTP to a separately deployed function. The request keeps method,
 * headers, body and query (repeated keys included); a slow upstream becomes 504, an unreachable
 * one 502.
 */
export function proxyUpstream(service: ServiceName, baseUrl: string, timeoutMs: number): Upstream {
  const base = baseUrl.replace(/\/+$/, "");
  return async (request) => {
    const incoming = new URL(request.url);
    const target = `${base}${incoming.pathname}${incoming.search}`;
    const headers = new Headers(request.headers);
    for (const h of DROP_REQUEST) headers.delete(h);
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    let upstream: Response;
    try {
      upstream = await fetch(target, {
        method: request.method,
        headers,
        body: hasBody ? request.body : undefined,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
        // @ts-ignore: Deno needs `duplex` to stream a request body.
        duplex: "half",
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "TimeoutError") {
        throw new AppError("gateway_timeout", `El servicio ${service} no respondió a tiempo`);
      }
      throw new AppError("bad_gateway", `El servicio ${service} no está disponible`);
    }
    const responseHeaders = new Headers(upstream.headers);
    for (const h of DROP_RESPONSE) responseHeaders.delete(h);
    return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
  };
}

/** Proxy upstreams from configuration: a per-service URL, else `FUNCTIONS_BASE_URL`. */
export function proxyUpstreamsFromConfig(config: Config, services: readonly ServiceName[]): Upstreams {
  const entries = services.map((service) => {
    const url = config[serviceUrlVariable(service)] ?? config.FUNCTIONS_BASE_URL;
    if (!url) throw new Error(`No URL configured for ${service} (${serviceUrlVariable(service)})`);
    return [service, proxyUpstream(service, url, config.GATEWAY_UPSTREAM_TIMEOUT_MS)];
  });
  return Object.fromEntries(entries) as Upstreams;
}
