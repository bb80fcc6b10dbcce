import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "./app-env.ts";
import { AppError } from "./errors.ts";

/** Marks a route's own (upload) limit, which replaces the app's default for that route. */
const OWN_LIMIT = Symbol.for("conectar.own-body-limit");

const KB = 1024;
const MB = 1024 * KB;

type LimitOptions = Parameters<typeof bodyLimit>[0];

/**
 * An upload route's own body limit (Hono's body limit, same options): the app-wide default no
 * longer applies to the route that lists it in its middleware.
 *
 * @example
 * const limit = uploadLimit({ maxSize: 5 * MB + 64 * KB, onError: () => { throw tooLarge(); } });
 * createRoute({ ...guarded, middleware: [...guarded.middleware, limit], ... });
 */
export function uploadLimit(options: LimitOptions): MiddlewareHandler {
  return Object.assign(bodyLimit(options), { [OWN_LIMIT]: options.maxSize });
}

/**
 * The app-wide body limit, checked before anything reads the body: a declared `Content-Length`
 * over it is refused at once, a streamed body as soon as it passes it (Hono's body limit), with
 * 413 and a Spanish detail. Routes with `uploadLimit` use theirs instead. `multipartBytes` is the
 * gateway's: it cannot tell uploads from other routes, so multipart bodies get the ceiling of the
 * largest upload there and the function behind it applies the route's own.
 *
 * @example
 * app.use("*", bodyLimits({ bytes: 256 * 1024 }));
 */
export function bodyLimits(options: { bytes: number; multipartBytes?: number }): MiddlewareHandler<AppEnv> {
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError(
          "payload_too_large",
          `El cuerpo de la solicitud supera el máximo de ${describeSize(maxSize)}`,
        );
      },
    });
  const small = limit(options.bytes);
  const multipart = options.multipartBytes ? limit(options.multipartBytes) : small;
  return async (c, next) => {
    if (!c.req.raw.body) return await next();
    if (matchedRoutes(c).some((route) => OWN_LIMIT in route.handler)) return await next();
    return await (isMultipart(c.req.header("content-type")) ? multipart : small)(c, next);
  };
}

export function isMultipart(contentType: string | undefined): boolean {
  return (contentType ?? "").toLowerCase().startsWith("multipart/form-data");
}

/** `262144` → `256 KB`, `5242880` → `5 MB`. */
export function describeSize(bytes: number): string {
  if (bytes >= MB && bytes % MB === 0) return `${bytes / MB} MB`;
  if (bytes >= KB) return `${Math.round(bytes / KB)} KB`;
  return `${bytes} bytes`;
}
