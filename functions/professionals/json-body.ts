import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../shared/app-env.ts";
import { AppError } from "../../shared/errors.ts";

/** The media types Hono's JSON validator parses (its own test, on the type without parameters). */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

export const MALFORMED_JSON = "El cuerpo de la solicitud no es JSON válido";

/** Whether the request says its body is JSON (the routes' validators parse exactly these). */
export function sendsJson(contentType: string | undefined): boolean {
  return JSON_MEDIA_TYPE.test((contentType ?? "").split(";")[0].trim());
}

/**
 * Route middleware for the KYC routes' JSON bodies, run before the route's validator so they keep
 * the answers their clients had: a malformed body is 422 "El cuerpo de la solicitud no es JSON
 * válido" (the library's would be a generic message), and with `emptyIsObject` an empty body
 * with a JSON content type means `{}` (reject's reason is optional; clients send the header
 * without a body). The body is read from a clone: the validator reads the original.
 *
 * @example
 * createRoute({ ...guarded, middleware: [...guarded.middleware, jsonBodyAnswers({ emptyIsObject: true })] });
 */
export function jsonBodyAnswers(options: { emptyIsObject?: boolean } = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (sendsJson(c.req.header("content-type"))) {
      const text = await c.req.raw.clone().text();
      if (!text.trim() && options.emptyIsObject) {
        const headers = new Headers(c.req.raw.headers);
        headers.delete("content-length");
        c.req.raw = new Request(c.req.raw, { body: "{}", headers });
      } else {
        try {
          JSON.parse(text);
        } catch {
          throw new AppError("validation_failed", MALFORMED_JSON);
        }
      }
    }
    await next();
  });
}
