// Types only: @hono/zod-openapi's runtime loads @asteasolutions/zod-to-openapi's CommonJS build,
// ~27 ms of every function's boot (`deno task bench boot`) for a document few requests ask for.
// The runtime below does what its `openapi()` does with our routes; the generator is imported
// when a document is first asked for (openapi-document.ts).
import type { createRoute as CreateRoute, OpenAPIHono, RouteConfig } from "@hono/zod-openapi";
import { zValidator } from "@hono/zod-validator";
import { Hono, type HonoRequest, type MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { mergePath } from "hono/utils/url";
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
export const createRoute: typeof CreateRoute = (config) => {
  const route = { ...config, getRoutingPath: () => routingPath(config.path) };
  return Object.defineProperty(route, "getRoutingPath", { enumerable: false }) as never;
};

/** An OpenAPI path (`/users/{id}`) as Hono routes it (`/users/:id`). */
const routingPath = (path: string) => path.replaceAll(/\/{(.+?)}/g, "/:$1");

/** What the OpenAPI generator reads: the routes as defined, paths relative to the app's base. */
export type RouteDefinition = { type: "route"; route: RouteConfig };

/**
 * A function's app: Hono plus the route definitions its OpenAPI document is generated from.
 * `openapi(route, handler)` has @hono/zod-openapi's signature (its types infer `c.req.valid`
 * and the typed responses), and registers the same chain: the route's middleware, then a
 * validator per request part (query, path, headers, cookies, the body by media type), then the
 * handler.
 */
export class ServiceApp extends Hono<AppEnv> {
  readonly definitions: RouteDefinition[] = [];

  openapi = ((
    config: RouteConfig & { hide?: boolean },
    handler: MiddlewareHandler<AppEnv>,
    hook: typeof validationHook = validationHook,
  ) => {
    const { middleware, hide, ...route } = config;
    if (!hide) this.definitions.push({ type: "route", route: route as RouteConfig });
    const own = middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware];
    const on = this.on as (method: string, path: string, ...handlers: MiddlewareHandler<AppEnv>[]) => void;
    on(
      route.method,
      routingPath(route.path),
      ...own,
      ...requestValidators(route as RouteConfig, hook),
      handler,
    );
    return this;
  }) as unknown as OpenAPIHono<AppEnv>["openapi"];
}

/** Validators for a route's request parts, each failing through `hook` (our 422 by default). */
function requestValidators(route: RouteConfig, onResult: unknown): MiddlewareHandler<AppEnv>[] {
  const request = route.request;
  if (!request) return [];
  const validators: MiddlewareHandler<AppEnv>[] = [];
  const hook = onResult as never;
  if (request.query) validators.push(zValidator("query", request.query as z.ZodType, hook) as never);
  if (request.params) validators.push(zValidator("param", request.params as z.ZodType, hook) as never);
  if (request.headers) {
    validators.push(zValidator("header", request.headers as z.ZodType, hook) as never);
  }
  if (request.cookies) validators.push(zValidator("cookie", request.cookies as z.ZodType, hook) as never);
  const content = request.body?.content ?? {};
  const validated = Object.entries(content).flatMap(([type, media]) => {
    const schema = (media as { schema?: unknown } | undefined)?.schema;
    return schema instanceof z.ZodType && (isJsonType(type) || isFormType(type)) ? [{ type, schema }] : [];
  });
  if (!validated.length) return validators;
  const declared = Object.keys(content);
  validators.push(mediaTypeGate(declared));
  for (const { type, schema } of validated) {
    const target = isJsonType(type) ? "json" : "form";
    const validator = zValidator(target, schema, hook) as unknown as MiddlewareHandler<AppEnv>;
    if (request.body?.required) {
      validators.push(validator);
      continue;
    }
    // An optional body: validated when it comes as this type, otherwise the handler sees `{}`.
    const matches = target === "json" ? isJsonType : isFormType;
    validators.push(async (c, next) => {
      const sent = c.req.header("content-type");
      if (sent && matches(sent)) return await validator(c, next);
      c.req.addValidatedData(target, {});
      await next();
    });
  }
  return validators;
}

/** 415 for a body of a type the route does not declare, or a body without a type. */
function mediaTypeGate(declared: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const sent = c.req.header("content-type");
    const accepted = sent ? declared.some((type) => matchesMediaType(sent, type)) : !(await hasBody(c.req));
    if (!accepted) throw new HTTPException(415, { message: "Unsupported Media Type" });
    await next();
  };
}

const isJsonType = (type: string) => /^application\/([a-z-.]+\+)?json/i.test(type);
const isFormType = (type: string) => /^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(type);
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
const MULTIPART_REQUEST = /^multipart\/form-data(;\s?boundary=[a-zA-Z0-9'"()+_,\-./:=?]+)?$/i;
const URLENCODED_REQUEST = /^application\/x-www-form-urlencoded(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

function matchesMediaType(sent: string, declared: string): boolean {
  if (declared === "*/*") return true;
  if (isJsonType(declared)) return JSON_REQUEST.test(sent);
  if (isFormType(declared)) return MULTIPART_REQUEST.test(sent) || URLENCODED_REQUEST.test(sent);
  const essence = sent.split(";")[0].trim().toLowerCase();
  if (declared.endsWith("/*")) return essence.startsWith(declared.slice(0, -1).toLowerCase());
  return essence === declared.toLowerCase();
}

/** Whether a request without a content type still carries bytes (read from a copy). */
async function hasBody(req: HonoRequest): Promise<boolean> {
  const request = req.raw;
  if (request.body === null) return false;
  // Read already (through Hono, which keeps what it read): ask Hono.
  if (request.bodyUsed) return (await req.arrayBuffer()).byteLength > 0;
  const reader = request.clone().body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * An app whose routes are defined with `createRoute`, validating with our 422 hook, its routes
 * under `basePath`.
 */
export function createRouteApp(basePath = "/"): ServiceApp {
  const app = new ServiceApp();
  // What Hono's basePath() does to the copy it returns (a plain Hono, without `openapi`).
  if (basePath !== "/") Object.assign(app, { _basePath: mergePath("/", basePath) });
  return withRequestChecks(app);
}

/**
 * Every route `app.openapi` defines from now on gets the request-text checks (NUL, invalid UTF-8:
 * `requestTextGuard`) after its own middleware — the guard, so auth still comes first — and before
 * its validators and handler, whoever parses the body.
 *
 * @example
 * const app = withRequestChecks(new ServiceApp());
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
