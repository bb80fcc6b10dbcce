import { z } from "zod";
import { AppError } from "../../shared/errors.ts";
import { createFunctionApp } from "../../shared/http.ts";
import type { Logger } from "../../shared/log.ts";
import { functionDocument, type OpenApiDocument } from "../../shared/openapi-document.ts";
import { createRoute, createRouteApp, json, other, type ServiceApp } from "../../shared/route.ts";
import { DOCS_PAGE } from "./docs-page.ts";
import { aggregateHealth } from "./health.ts";
import { mergedOpenApi } from "./openapi.ts";
import { createRouter, normalizePublicPath } from "./route-table.ts";
import type { GatewayConfig } from "./config.ts";
import type { Upstreams } from "./upstreams.ts";

export type GatewayDeps = { config: GatewayConfig; log: Logger; upstreams: Upstreams };

const UNSPECIFIED_ADDRESSES = new Set(["0.0.0.0", "::", "[::]"]);
/** Supabase serves the gateway function under `/gateway`; locally it is served bare. */
const GATEWAY_PREFIX = /^\/gateway(?=\/|$)/;
const OPENAPI_CACHE_MS = 60_000;

/**
 * The single public entry: its own routes (root, aggregated health, merged OpenAPI, docs) and
 * everything else forwarded to the function that owns the path. Served bare locally (:8000) and
 * under `/gateway` on Supabase.
 */
export function createApp(deps: GatewayDeps): ServiceApp {
  const { config, upstreams } = deps;
  const { resolveNormalized } = createRouter();
  const app = createFunctionApp({
    name: "gateway",
    basePath: "",
    builtinRoutes: false,
    version: config.APP_VERSION,
    log: deps.log,
    corsOrigins: config.CORS_ORIGINS,
    checks: {},
    // Before forwarding: the gateway cannot tell upload routes, so multipart gets the uploads' ceiling.
    bodyLimit: { bytes: config.HTTP_BODY_MAX_BYTES, multipartBytes: config.HTTP_UPLOAD_MAX_BYTES },
  });
  let openapiCache: { at: number; doc: unknown } | null = null;

  const routes = createRouteApp();
  routes.openapi(
    createRoute({
      method: "get",
      path: "/",
      summary: "Welcome: version and where the docs are",
      tags: ["gateway"],
      responses: { 200: json(welcomeSchema, "Welcome") },
    }),
    (c) =>
      c.json({
        status: "ok",
        message: "Bienvenido a ConectarProfesionales",
        version: config.APP_VERSION,
        docs: "/docs",
        security: "enabled",
      }, 200),
  );
  // Each route also under /api/v1 (API.md rule 1); the document lists the bare path once.
  for (const prefix of ["", "/api/v1"]) {
    const hide = prefix !== "";
    routes.openapi(
      createRoute({
        method: "get",
        path: `${prefix}/health`,
        hide,
        summary: "Aggregated health of the six services (the original gateway's shape)",
        tags: ["gateway"],
        responses: { 200: json(gatewayHealthSchema, "Each service's state") },
      }),
      async (c) =>
        c.json(
          await aggregateHealth(upstreams, { version: config.APP_VERSION, requestId: c.get("requestId") }),
          200,
        ),
    );
    routes.openapi(
      createRoute({
        method: "get",
        path: `${prefix}/openapi.json`,
        hide,
        summary: "The merged OpenAPI 3.1 document",
        tags: ["gateway"],
        responses: { 200: json(z.record(z.string(), z.unknown()), "OpenAPI 3.1") },
      }),
      async (c) => {
        if (!openapiCache || Date.now() - openapiCache.at > OPENAPI_CACHE_MS) {
          const doc = await mergedOpenApi(upstreams, {
            version: config.APP_VERSION,
            gateway: ownDocument(),
            requestId: c.get("requestId"),
          });
          openapiCache = { at: Date.now(), doc };
        }
        return c.json(openapiCache.doc as Record<string, unknown>, 200);
      },
    );
    routes.openapi(
      createRoute({
        method: "get",
        path: `${prefix}/docs`,
        hide,
        summary: "This page: every route with its schemas",
        tags: ["gateway"],
        responses: { 200: other("HTML", "text/html") },
      }),
      (c) => c.html(DOCS_PAGE),
    );
  }
  const ownDocument = (): OpenApiDocument =>
    functionDocument(routes, { name: "gateway", version: config.APP_VERSION, base: "" });

  routes.all("*", async (c) => {
    const publicPath = normalizePublicPath(c.req.path.replace(GATEWAY_PREFIX, ""));
    const service = resolveNormalized(publicPath);
    if (!service) throw new AppError("not_found", "Not Found");
    // Upstreams answer with mutable headers (Hono's own responses, or the proxy's fresh one), so
    // the shared middleware can still set CORS and security headers without copying the body.
    return await upstreams[service]({
      request: c.req.raw,
      path: `/${service}${publicPath}`,
      requestId: c.get("requestId"),
      forwardedFor: withHop(c.req.header("x-forwarded-for"), c.env?.remoteAddr?.hostname),
    });
  });

  app.route("/gateway", routes);
  app.route("/", routes);
  return app;
}

/**
 * Like any proxy: the caller's chain plus the address this request came from (see
 * TRUSTED_PROXY_HOPS). Not an unspecified one: Supabase's edge runtime tells every handler 0.0.0.0
 * (its own listener); the edge has appended the caller already, so both entry points keep the
 * same number of hops.
 */
function withHop(chain: string | undefined, peer: string | undefined): string | undefined {
  if (!peer || UNSPECIFIED_ADDRESSES.has(peer)) return chain;
  return chain ? `${chain}, ${peer}` : peer;
}

const welcomeSchema = z.object({
  status: z.string(),
  message: z.string(),
  version: z.string(),
  docs: z.string(),
  security: z.string(),
});

const gatewayHealthSchema = z.object({
  gateway: z.literal("healthy"),
  version: z.string(),
  servicios: z.record(
    z.string(),
    z.object({
      estado: z.enum(["healthy", "unhealthy", "down"]),
      checks: z.unknown().optional(),
      error: z.string().optional(),
      latency_ms: z.number(),
    }),
  ),
  estado_general: z.enum(["healthy", "degraded"]),
}).meta({ id: "GatewayHealth" });
