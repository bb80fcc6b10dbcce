import { Hono } from "hono";
import type { Config } from "../../shared/config.ts";
import { AppError } from "../../shared/errors.ts";
import { type AppEnv, createFunctionApp } from "../../shared/http.ts";
import type { Logger } from "../../shared/log.ts";
import { DOCS_PAGE } from "./docs-page.ts";
import { aggregateHealth } from "./health.ts";
import { mergedOpenApi } from "./openapi.ts";
import { createRouter, normalizePublicPath } from "./route-table.ts";
import type { Upstreams } from "./upstreams.ts";

export type GatewayDeps = { config: Config; log: Logger; upstreams: Upstreams };

const INTERNAL_ORIGIN = "http://gateway.internal";
const OPENAPI_CACHE_MS = 60_000;

/**
 * The single public entry: its own routes (root, aggregated health, merged OpenAPI, docs) and
 * everything else forwarded to the function that owns the path. Served bare locally (:8000) and
 * under `/gateway` on Supabase.
 */
export function createApp(deps: GatewayDeps): Hono<AppEnv> {
  const { config, upstreams } = deps;
  const resolve = createRouter();
  const app = createFunctionApp({
    name: "gateway",
    basePath: "",
    builtinRoutes: false,
    version: config.APP_VERSION,
    log: deps.log,
    corsOrigins: config.CORS_ORIGINS,
    checks: {},
  });
  let openapiCache: { at: number; doc: unknown } | null = null;

  const routes = new Hono<AppEnv>();
  routes.get("/", (c) =>
    c.json({
      status: "ok",
      message: "Bienvenido a ConectarProfesionales",
      version: config.APP_VERSION,
      docs: "/docs",
      security: "enabled",
    }));
  for (const prefix of ["", "/api/v1"]) {
    routes.get(
      `${prefix}/health`,
      async (c) =>
        c.json(await aggregateHealth(upstreams, { version: config.APP_VERSION, requestId: c.var.requestId })),
    );
    routes.get(`${prefix}/openapi.json`, async (c) => {
      if (!openapiCache || Date.now() - openapiCache.at > OPENAPI_CACHE_MS) {
        const doc = await mergedOpenApi(upstreams, {
          version: config.APP_VERSION,
          gatewayPaths: GATEWAY_PATHS,
        });
        openapiCache = { at: Date.now(), doc };
      }
      return c.json(openapiCache.doc);
    });
    routes.get(`${prefix}/docs`, (c) => c.html(DOCS_PAGE));
  }
  routes.all("*", async (c) => {
    const publicPath = normalizePublicPath(c.req.path.replace(/^\/gateway(?=\/|$)/, ""));
    const service = resolve(publicPath);
    if (!service) throw new AppError("not_found", "Not Found");
    const search = new URL(c.req.url).search;
    const headers = new Headers(c.req.raw.headers);
    headers.set("x-request-id", c.var.requestId);
    // Like any proxy: append the address this request came from (see TRUSTED_PROXY_HOPS).
    const peer = c.env?.remoteAddr?.hostname;
    if (peer) {
      const before = headers.get("x-forwarded-for");
      headers.set("x-forwarded-for", before ? `${before}, ${peer}` : peer);
    }
    const forwarded = new Request(`${INTERNAL_ORIGIN}/${service}${publicPath}${search}`, {
      method: c.req.method,
      headers,
      body: c.req.raw.body,
      // @ts-ignore: Deno needs `duplex` to stream a request body.
      duplex: "half",
    });
    // Upstreams answer with mutable headers (Hono's own responses, or the proxy's fresh one), so
    // the shared middleware can still set CORS and security headers without copying the body.
    return await upstreams[service](forwarded);
  });

  app.route("/gateway", routes);
  app.route("/", routes);
  return app;
}

const GATEWAY_PATHS = {
  "/health": {
    get: {
      tags: ["gateway"],
      summary: "Aggregated health of the six services (the original gateway's shape)",
      responses: { 200: { description: "{gateway, version, servicios, estado_general}" } },
    },
  },
  "/docs": { get: { tags: ["gateway"], summary: "This page", responses: { 200: { description: "HTML" } } } },
  "/openapi.json": {
    get: {
      tags: ["gateway"],
      summary: "The merged OpenAPI 3.1 document",
      responses: { 200: { description: "JSON" } },
    },
  },
};
