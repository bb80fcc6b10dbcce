import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import postgres from "postgres";
import type { AppEnv } from "./app-env.ts";
import type { FunctionName } from "./function-names.ts";
import { cors } from "hono/cors";
import { AppError, errorBody, fromSqlState } from "./errors.ts";
import { type HealthCheck, runHealthChecks } from "./health.ts";
import { describeError, type Logger } from "./log.ts";
import { functionDocument, type OpenApiDocument } from "./openapi-document.ts";
import { createRouteApp, type ServiceApp, withRequestChecks } from "./route.ts";
import { bodyLimits, isMultipart } from "./body-limit.ts";
import { isDatabaseUnavailable } from "./db.ts";
import { noStoreForUsers, onlyKnownMethods } from "./http-guards.ts";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";

export type { AppEnv };

export type FunctionAppOptions = {
  name: FunctionName;
  version: string;
  log: Logger;
  corsOrigins: readonly string[];
  checks: Record<string, HealthCheck>;
  /** Defaults to `/<name>` (Supabase serves a function under its name). */
  basePath?: string;
  /** `/health` and `/openapi.json` as above; the gateway serves its own (aggregated) ones. */
  builtinRoutes?: boolean;
  /** Largest body read (default 256 KB) and, at the gateway, multipart's ceiling (see bodyLimits). */
  bodyLimit?: { bytes: number; multipartBytes?: number };
};

/**
 * The headers the original sent on every response (uploads are served with `nosniff` so a file
 * uploaded as `.png` can never be sniffed into HTML), plus Hono's other safe defaults. Resource
 * policy is left off: the browser frontend on another origin reads these responses.
 */
const SECURITY_HEADERS = secureHeaders({
  // A handler's own choice wins (the e-mail pages send Referrer-Policy: no-referrer).
  overwrite: false,
  xFrameOptions: "DENY",
  referrerPolicy: "strict-origin-when-cross-origin",
  permissionsPolicy: { geolocation: ["self"], payment: ["self"] },
  crossOriginResourcePolicy: false,
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: false,
});

const DEFAULT_BODY_BYTES = 256 * 1024;

/**
 * A Hono app with the shared middleware in one fixed order (request id → access log → no-store
 * for signed-in answers → security headers → CORS → 405 for unknown methods → body limit),
 * request-text checks on every route (`withRequestChecks`), FastAPI-compatible errors, `/health`
 * and `/openapi.json`.
 *
 * @example
 * const app = createFunctionApp({ name: "users", version, log, corsOrigins, checks: { db: db.ping } });
 * app.get("/users/me", auth, (c) => c.json(...)); // served at /users/users/me; the gateway maps /users/me
 */
export function createFunctionApp(options: FunctionAppOptions): ServiceApp {
  const { name, log } = options;
  const base = options.basePath ?? `/${name}`;
  const app = withRequestChecks(createRouteApp().basePath(base));
  // In inline mode the gateway hands over the caller's request as it came and names the path it
  // resolved (`/<fn><public path>`): no copy of the request under an internal URL. (Hono's own
  // hook for the path; its basePath() sets it the same way.)
  const requestPath = app.getPath;
  Object.assign(app, {
    getPath: (request: Request, options?: { env?: AppEnv["Bindings"] }) =>
      options?.env?.inline && options.env.path !== undefined
        ? options.env.path
        : requestPath(request, options),
  });

  // In inline mode the gateway's own stack has done what is marked `outermost` for this request
  // (id, access log, security headers, CORS, method and body-size checks) and does the rest on the
  // response this app returns: doing it twice per request cost a third of the gateway's time.
  const outermost = (middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> => (c, next) =>
    c.env?.inline ? next() : middleware(c, next);
  // A caller's id is kept when it is a plain token (it ties our log lines to theirs).
  const assignRequestId = requestId({ headerName: "x-request-id", limitLength: 128 });
  app.use("*", (c, next) => {
    if (!c.env?.inline || !c.env.requestId) return assignRequestId(c, next);
    c.set("requestId", c.env.requestId);
    return next();
  });
  app.use(
    "*",
    outermost(async (c, next) => {
      const started = performance.now();
      await next();
      // Set again after the handler: a response built elsewhere (the gateway's upstream) lacks it.
      // c.get, not c.var: every c.var read builds an object of all the variables.
      const requestId = c.get("requestId");
      c.res.headers.set("x-request-id", requestId);
      log.info("request", {
        request_id: requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
        user_id: c.get("user")?.id,
      });
    }),
  );
  app.use("*", noStoreForUsers());
  app.use("*", outermost(SECURITY_HEADERS));
  // The browser frontend runs on another origin and sends `Authorization` everywhere, so every
  // route answers the preflight; only listed origins get a grant.
  const allowed = new Set(options.corsOrigins);
  app.use(
    "*",
    outermost(cors({
      origin: (origin) => (allowed.has(origin) ? origin : null),
      credentials: true,
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      exposeHeaders: [
        "X-Request-Id",
        // Lists that keep the original's bare arrays carry their total here (the frontend's origin reads it).
        "X-Total-Count",
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
      ],
      maxAge: 600,
    })),
  );
  app.use("*", outermost(onlyKnownMethods()));
  // The gateway applies the same default limit; multipart bodies still need the route's own here.
  const limits = bodyLimits(options.bodyLimit ?? { bytes: DEFAULT_BODY_BYTES });
  app.use(
    "*",
    (c, next) => c.env?.inline && !isMultipart(c.req.header("content-type")) ? next() : limits(c, next),
  );

  app.onError((error, c) => {
    const requestId = c.var.requestId ?? "unknown";
    let appError = toAppError(error);
    if (!appError) {
      log.error("unhandled error", { request_id: requestId, ...describeError(error) });
      appError = new AppError("internal", "Error interno del servidor");
    } else if (!(error instanceof AppError) && appError.status === 503) {
      log.warn("dependency unavailable", { request_id: requestId, ...describeError(error) });
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

  // Built on first request: every route is registered by then, and boot stays cheap.
  let document: OpenApiDocument | undefined;
  app.get("/openapi.json", (c) => {
    document ??= functionDocument(app, { name, version: options.version, base });
    return c.json(document);
  });
  return app;
}

/**
 * The `X-Forwarded-For` chain this app must read: in inline mode the gateway's binding (the
 * caller's chain plus the gateway's hop; the caller's request is not copied to add it), otherwise
 * the request's header.
 *
 * @example
 * clientIp(forwardedFor(c), c.env?.remoteAddr?.hostname, hops)
 */
export function forwardedFor(c: Context<AppEnv>): string | undefined {
  return c.env?.inline ? c.env.forwardedFor : c.req.header("x-forwarded-for");
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
    if (error.status === 415) {
      return new AppError("unsupported_media_type", "Tipo de contenido no soportado: enviá JSON");
    }
    if (error.status === 401) return new AppError("unauthorized", "Not authenticated");
    return null;
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError(
      "service_unavailable",
      "El servicio no está disponible en este momento. Probá de nuevo en unos segundos.",
      {
        headers: { "retry-after": "5" },
      },
    );
  }
  if (error instanceof postgres.PostgresError) return fromSqlState(error.code, error.message);
  return null;
}
