import type { ServiceName } from "../../shared/function-names.ts";
import type { OpenApiDocument } from "../../shared/openapi-document.ts";
import { internalRequest, type Upstream } from "./upstreams.ts";

/**
 * One document for the whole API: each function's `/openapi.json` merged, plus the gateway's own
 * routes. Paths are public (the gateway also serves each one under `/api/v1`).
 */
export async function mergedOpenApi(
  upstreams: Record<ServiceName, Upstream>,
  options: { version: string; gateway: OpenApiDocument; requestId: string },
): Promise<OpenApiDocument> {
  const paths: OpenApiDocument["paths"] = { ...options.gateway.paths };
  // Named schemas (`.meta({id})`) are $refs into components: every function's must be kept.
  const schemas: Record<string, unknown> = { ...schemasOf(options.gateway) };
  const unavailable: string[] = [];
  await Promise.all(
    (Object.entries(upstreams) as [ServiceName, Upstream][]).map(async ([service, upstream]) => {
      try {
        const response = await upstream(internalRequest(service, "/openapi.json", options.requestId));
        if (!response.ok) throw new Error(String(response.status));
        const doc = await response.json() as OpenApiDocument;
        for (const [path, operations] of Object.entries(doc.paths)) {
          paths[path] = { ...paths[path], ...operations };
        }
        Object.assign(schemas, schemasOf(doc));
      } catch {
        unavailable.push(service);
      }
    }),
  );
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: "3.1.0",
    info: {
      title: "ConectarProfesionales API",
      version: options.version,
      description: "Every path is served bare and under /api/v1. Errors: {detail, code, request_id}." +
        (unavailable.length ? ` Not included (unavailable now): ${unavailable.join(", ")}.` : ""),
    },
    paths: sorted,
    components: {
      schemas,
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
  };
}

function schemasOf(doc: OpenApiDocument): Record<string, unknown> {
  return (doc.components?.schemas ?? {}) as Record<string, unknown>;
}
