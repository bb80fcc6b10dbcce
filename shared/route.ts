import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import type { AppEnv } from "./app-env.ts";
import { requireRole } from "./auth.ts";
import { type Rol, ROLES } from "./auth-user.ts";
import { requestTextGuard } from "./request-text.ts";
import { validationHook } from "./validation.ts";

/**
 * One definition per route: method, path, request schemas, response schemas, who may call it and
 * a summary live in one `createRoute({...})` object; `app.openapi(route, handler)` derives the
 * validation (our 422 through `validationHook`) and the function's OpenAPI document from it.
 *
 * @example
 * const getUser = createRoute({
 *   method: "get",
 *   path: "/admin/users/{id}",
 *   summary: "One account",
 *   ...platform.access(["ADMIN"]),
 *   request: { params: idParams },
 *   responses: { 200: json(userReadSchema, "The account") },
 * });
 * app.openapi(getUser, async (c) => c.json(await findUser(c.req.valid("param").id), 200));
 */
export { createRoute };

/** A function's app: Hono plus the OpenAPI registry its routes are defined in. */
export type ServiceApp = OpenAPIHono<AppEnv>;

/** An app whose routes are defined with `createRoute`, validating with our 422 hook. */
export function createRouteApp(): ServiceApp {
  return withRequestChecks(new OpenAPIHono<AppEnv>({ defaultHook: validationHook }));
}

/**
 * Every route `app.openapi` defines from now on gets the request-text checks (NUL, invalid UTF-8:
 * `requestTextGuard`) after its own middleware — the guard, so auth still comes first — and before
 * its validators and handler, whoever parses the body. Apps from `basePath()` need it again.
 *
 * @example
 * const app = withRequestChecks(createRouteApp().basePath("/users"));
 */
export function withRequestChecks(app: ServiceApp): ServiceApp {
  const define = app.openapi;
  app.openapi = ((route, handler, hook) => {
    const own = route.middleware === undefined
      ? []
      : Array.isArray(route.middleware)
      ? route.middleware
      : [route.middleware];
    const guardText = requestTextGuard({
      params: route.request?.params as z.ZodType | undefined,
      mediaTypes: Object.keys(route.request?.body?.content ?? {}),
    });
    return define({ ...route, middleware: [...own, guardText] }, handler, hook);
  }) as typeof define;
  return app;
}

/** Who may call a route: any signed-in user, or only some roles. Public routes say nothing. */
export type Access = "signed-in" | readonly Rol[];

/** The OpenAPI extension naming the roles a route admits (read by docs and the security test). */
export const ROLES_EXTENSION = "x-roles";

/**
 * The part of a route definition that guards it: the bearer scheme and roles for the document,
 * and the middleware (token, then role) that runs before any validation, as the contract orders.
 *
 * @example
 * createRoute({ method: "get", path: "/users/me", ...guard(platform.auth, "signed-in"), ... });
 */
export function guard(authenticate: MiddlewareHandler<AppEnv>, access: Access) {
  const roles: Rol[] = access === "signed-in" ? [...ROLES] : [...access];
  const everyRole = roles.length === ROLES.length;
  return {
    security: [{ bearer: [] }],
    [ROLES_EXTENSION]: roles,
    middleware: everyRole ? [authenticate] : [authenticate, requireRole(...roles)],
  };
}

/**
 * A JSON response (or request body content) with its schema.
 *
 * @example
 * responses: { 200: json(userReadSchema, "The account"), 404: json(errorSchema, "No such user") }
 */
export function json<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { "application/json": { schema } } };
}

/**
 * A required JSON request body. A request with another content type answers 415.
 *
 * @example
 * request: { body: jsonBody(updateMeSchema) }
 */
export function jsonBody<S extends z.ZodType>(schema: S) {
  return { required: true, content: { "application/json": { schema } } };
}

/**
 * A response that is not JSON (a redirect, an HTML page, a file), described for the document.
 *
 * @example
 * responses: { 302: other("Redirects to MercadoPago's checkout") }
 */
export function other(description: string, mediaType?: string) {
  return mediaType ? { description, content: { [mediaType]: { schema: {} } } } : { description };
}

/**
 * `{id}` path parameters. Any 8-4-4-4-12 hex string (seeded ids need not be RFC 4122); anything
 * else answers 404 with `notFound` as the detail (through `validationHook`), the same answer as an
 * id nobody has.
 *
 * @example
 * createRoute({ method: "get", path: "/admin/users/{id}", request: { params: idParamsFor("Usuario no encontrado") }, ... });
 */
export function idParamsFor(notFound: string) {
  return z.object({ id: z.guid({ error: notFound }) });
}

/** `{id}` path parameters with a generic "not found" detail (see `idParamsFor`). */
export const idParams = idParamsFor("Recurso no encontrado");

/** A `{mensaje, message}` confirmation, as the original answered actions (both names: API.md rule 6). */
export const messageSchema = z.object({ mensaje: z.string(), message: z.string() });

/**
 * A multipart upload, documented but parsed by the handler: file parts need checks (size,
 * extension, missing vs nameless) with the original's answers, which a schema cannot give.
 *
 * @example
 * request: { body: multipartBody({ file: "The image (.jpg .png …)" }, ["file"]) }
 */
export function multipartBody(files: Record<string, string>, required: string[] = Object.keys(files)) {
  const properties = Object.fromEntries(
    Object.entries(files).map((
      [name, description],
    ) => [name, { type: "string" as const, format: "binary", description }]),
  );
  return {
    required: true,
    content: { "multipart/form-data": { schema: { type: "object" as const, properties, required } } },
  };
}

/** The error body every route answers with (`{detail, code, request_id, errors?}`). */
export const errorSchema = z.object({
  detail: z.string(),
  code: z.string(),
  request_id: z.string(),
  errors: z.array(
    z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() }),
  )
    .optional(),
}).meta({ id: "Error" });
