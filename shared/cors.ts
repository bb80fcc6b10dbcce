import { createMiddleware } from "hono/factory";

/**
 * CORS for an allow-list of origins, credentials on. The browser frontend runs on another origin
 * and sends `Authorization` everywhere, so every route must answer the preflight.
 * Headers are `set` (not appended) so a response that passes through the gateway and a function
 * in the same process never carries them twice.
 *
 * @example
 * app.use("*", cors(["http://localhost:3000"]));
 */
export function cors(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return createMiddleware(async (c, next) => {
    const origin = c.req.header("origin");
    const allowOrigin = origin && allowed.has(origin) ? origin : null;
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
      const headers = new Headers({ vary: "Origin" });
      if (allowOrigin) {
        setCorsHeaders(headers, allowOrigin);
        headers.set("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
        headers.set(
          "access-control-allow-headers",
          c.req.header("access-control-request-headers") ?? "Authorization, Content-Type",
        );
        headers.set("access-control-max-age", "600");
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    if (allowOrigin) setCorsHeaders(c.res.headers, allowOrigin);
    c.res.headers.set("vary", "Origin");
  });
}

function setCorsHeaders(headers: Headers, origin: string) {
  headers.set("access-control-allow-origin", origin);
  headers.set("access-control-allow-credentials", "true");
  headers.set(
    "access-control-expose-headers",
    "X-Request-Id, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset",
  );
}
