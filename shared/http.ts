import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import postgres from "postgres";
import type { AuthUser } from "./auth.ts";
import type { FunctionName } from "./function-names.ts";
import { cors } from "./cors.ts";
import { AppError, errorBody, fromSqlState } from "./errors.ts";
import { type HealthCheck, runHealthChecks } from "./health.ts";
import { describeError, type Logger } from "./log.ts";
import { type ApiDoc, buildOpenApi, createApiDoc } from "./openapi.ts";
import { securityHeaders } from "./security-headers.ts";

/** Context every function shares; declared once so `c.var.user` is typed everywhere. */
export type AppEnv = {
  /** `inline`: the gateway called this app in-process (it already logged the request). */
  Bindings: { inline?: boolean; remoteAddr?: { hostname: string } };
  Variables: { requestId: string; user: AuthUser };
};

export type FunctionAppOptions = {
  name: FunctionName;
  version: string;
  log: Logger;
  corsOrigins: readonly string[];
  checks: Record<string, HealthCheck>;
  doc?: ApiDoc;
  /** Defaults to `/<name>` (Supabase serves a function under its name). */
  basePath?: string;
  /** `/health` and `/openapi.json` as above; the gateway serves its own (aggregated) ones. */
  builtinRoutes?: boolean;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A Hono app with the shared middleware in one fixed order (request id → access log → security
 * headers → CORS), FastAPI-compatible errors, `/health` and `/openapi.json`.
 *
 * @example
 * const app = createFunctionApp({ name: "users", version, log, corsOrigins, checks: { db: db.ping } });
 * app.get("/users/me", auth, (c) => c.json(...)); // served at /users/users/me; the gateway maps /users/me
 */
export function createFunctionApp(options: FunctionAppOptions): Hono<AppEnv> {
  const { name, log } = options;
  const base = options.basePath ?? `/${name}`;
  const doc = options.doc ?? createApiDoc();
  const app = new Hono<AppEnv>().basePath(base);

  app.use("*", async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    const started = performance.now();
    await next();
    c.res.headers.set("x-request-id", requestId);
    if (c.env?.inline) return;
    log.info("request", {
      request_id: requestId,
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      user_id: c.var.user?.id,
    });
  });
  app.use("*", securityHeaders);
  app.use("*", cors(options.corsOrigins));

  app.onError((error, c) => {
    const requestId = c.var.requestId ?? "unknown";
    let appError = toAppError(error);
    if (!appError) {
      log.error("unhandled error", { request_id: requestId, ...describeError(error) });
      appError = new AppError("internal", "Error interno del servidor");
    }
    const headers: Record<string, string> = { ...appError.extra.headers };
    if (appError.status === 401) headers["www-authenticate"] = "Bearer";
    return c.json(errorBody(appError, requestId), appError.status, headers);
  });
  app.notFound((c) =>
    c.json(errorBody(new AppError("not_found", "Not Found"), c.var.requestId ?? "unknown"), 404)
  );

  if (options.builtinRoutes === false) return app;
  app.get("/health", async (c) => {
    const { healthy, checks } = await runHealthChecks(options.checks);
    const body = {
      status: healthy ? "healthy" : "unhealthy",
      service: name,
      version: options.version,
      checks,
    };
    return c.json(body, healthy ? 200 : 503);
  });

  app.get("/openapi.json", (c) => c.json(openApiOf(app, { name, version: options.version, doc, base })));
  return app;
}

/** The function's OpenAPI document; paths are public paths (as clients call them via the gateway). */
export function openApiOf(
  app: Hono<AppEnv>,
  options: { name: string; version: string; doc: ApiDoc; base: string },
) {
  const own = new Set(["/health", "/openapi.json", "/events"]);
  const seen = new Set<string>();
  const served = app.routes
    .filter((r) => r.method !== "ALL")
    .map((r) => ({ method: r.method, path: r.path.slice(options.base.length) || "/" }))
    .filter((r) =>
      // `/events/…` is the function's own event plumbing (e.g. the relay sweep), not a public path.
      !own.has(r.path) && !r.path.startsWith("/events/") && !seen.has(`${r.method} ${r.path}`) &&
      seen.add(`${r.method} ${r.path}`)
    );
  return buildOpenApi({
    title: `ConectarProfesionales — ${options.name}`,
    version: options.version,
    tag: options.name,
    doc: options.doc,
    served,
  });
}

/** Our errors as they are; the few library errors we expect, mapped; anything else → null (500). */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    // Hono raises 400 only when it cannot parse a body; the contract wants 422 for that.
    if (error.status === 400) {
      return new AppError("validation_failed", "El cuerpo de la solicitud no es válido");
    }
    if (error.status === 413) {
      return new AppError("payload_too_large", "El archivo o cuerpo es demasiado grande");
    }
    if (error.status === 401) return new AppError("unauthorized", "Not authenticated");
    return null;
  }
  if (error instanceof postgres.PostgresError) return fromSqlState(error.code, error.message);
  return null;
}
