/**
 * What Supabase's edge does to a request on its way to a function, as far as our code can see
 * it (the functions read no other header the edge sets):
 *
 * - it appends the caller's address to `x-forwarded-for`, so the entry per-IP limits trust (see
 *   TRUSTED_PROXY_HOPS) is the edge's, never one the client wrote;
 * - it strips `/functions/v1`: the function sees `/<fn>/…`;
 * - the edge runtime hands every handler the same `remoteAddr`, its own listener `0.0.0.0:9999`
 *   (supabase/edge-runtime, ext/runtime/js/http.js), never the caller's address.
 *
 * @example
 * const forwarded = edgeRequest(request, info.remoteAddr.hostname, "http://functions.internal/auth/auth/login");
 * await app.fetch(forwarded, EDGE_RUNTIME_INFO);
 */
export const EDGE_RUNTIME_INFO = {
  remoteAddr: { transport: "tcp", hostname: "0.0.0.0", port: 9999 },
} as const;

/** `request` as the function receives it at `url`, with the caller's address `peer` appended. */
export function edgeRequest(request: Request, peer: string, url: string): Request {
  const headers = new Headers(request.headers);
  const before = headers.get("x-forwarded-for");
  headers.set("x-forwarded-for", before ? `${before}, ${peer}` : peer);
  return new Request(url, {
    method: request.method,
    headers,
    body: request.body,
    // @ts-ignore: Deno needs `duplex` to stream a request body.
    duplex: "half",
  });
}
