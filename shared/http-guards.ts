import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env.ts";
import { AppError } from "./errors.ts";

/** The methods the API serves (case-sensitive, as HTTP methods are). */
export const KNOWN_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const KNOWN = new Set<string>(KNOWN_METHODS);

/**
 * 405 with `Allow` for any other method (`TRACE`, `CONNECT`, `FOO`, a lower-case `get`). Without
 * it they reached the gateway's forwarding, where `new Request` refuses them: a 500.
 *
 * @example
 * app.use("*", onlyKnownMethods());
 */
export function onlyKnownMethods(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!KNOWN.has(c.req.method)) {
      throw new AppError("method_not_allowed", "Método no permitido", {
        headers: { allow: KNOWN_METHODS.join(", ") },
      });
    }
    await next();
  };
}

/**
 * `Cache-Control: private, no-store` on every answer to a request that carried a valid user (the
 * guard set `c.var.user`), errors included: no shared or browser cache keeps someone's data.
 * Public answers keep what their route set.
 *
 * @example
 * app.use("*", noStoreForUsers());
 */
export function noStoreForUsers(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.get("user")) c.res.headers.set("cache-control", "private, no-store");
  };
}
