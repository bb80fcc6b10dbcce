import { createMiddleware } from "hono/factory";

/**
 * Headers the original sent on every response; uploads are served with `nosniff` so a file
 * uploaded as `.png` can never be sniffed into HTML.
 */
export const securityHeaders = createMiddleware(async (c, next) => {
  await next();
  const h = c.res.headers;
  h.set("x-content-type-options", "nosniff");
  h.set("x-frame-options", "DENY");
  h.set("referrer-policy", "strict-origin-when-cross-origin");
  h.set("permissions-policy", "geolocation=(self), payment=(self)");
});
