import { z } from "zod";
import type { Rol } from "./auth.ts";

/**
 * The OpenAPI description of one function, built from the same zod schemas that validate
 * requests. Every registered route appears (taken from the Hono router); `describe` adds the
 * summary, schemas and security of a route.
 *
 * @example
 * const doc = createApiDoc();
 * doc.describe({ method: "post", path: "/auth/register", summary: "Register", body: registerSchema });
 */
export type RouteDescription = {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Public path as clients call it (Hono syntax: `/admin/users/:id`). */
  path: string;
  summary: string;
  /** Roles allowed; `"any"` = any signed-in user; omitted = public. */
  auth?: "any" | Rol[];
  body?: z.ZodType;
  bodyType?: "application/json" | "application/x-www-form-urlencoded" | "multipart/form-data";
  query?: z.ZodType;
  params?: z.ZodType;
  responses?: Record<number, { description: string; schema?: z.ZodType }>;
  tags?: string[];
};

export type ApiDoc = {
  describe(route: RouteDescription): void;
  routes(): readonly RouteDescription[];
};

export function createApiDoc(): ApiDoc {
  const described: RouteDescription[] = [];
  return { describe: (r) => void described.push(r), routes: () => described };
}

type Operation = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, unknown>;
};

/** Hono `/a/:id` → OpenAPI `/a/{id}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");
}

export function buildOpenApi(options: {
  title: string;
  version: string;
  tag: string;
  doc: ApiDoc;
  /** Every method + public path the router serves, described or not. */
  served: { method: string; path: string }[];
}): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  const byKey = new Map(options.doc.routes().map((r) => [`${r.method} ${r.path}`, r]));
  for (const { method, path } of options.served) {
    const lower = method.toLowerCase();
    const route = byKey.get(`${lower} ${path}`);
    const openPath = toOpenApiPath(path);
    paths[openPath] ??= {};
    paths[openPath][lower] = route ? operation(route, options.tag) : {
      tags: [options.tag],
      summary: `${method} ${path}`,
      responses: { default: { description: "See the contract (API.md)" } },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: options.title, version: options.version },
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
  };
}

function operation(route: RouteDescription, tag: string): Operation {
  const op: Operation = { tags: route.tags ?? [tag], summary: route.summary };
  if (route.auth) {
    op.security = [{ bearer: [] }];
    op.description = route.auth === "any" ? "Any signed-in user." : `Roles: ${route.auth.join(", ")}.`;
  }
  const parameters = [
    ...parametersOf(route.params, "path"),
    ...parametersOf(route.query, "query"),
  ];
  if (parameters.length) op.parameters = parameters;
  if (route.body) {
    op.requestBody = {
      required: true,
      content: { [route.bodyType ?? "application/json"]: { schema: jsonSchema(route.body, "input") } },
    };
  }
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(route.responses ?? { 200: { description: "OK" } })) {
    responses[status] = r.schema
      ? {
        description: r.description,
        content: { "application/json": { schema: jsonSchema(r.schema, "output") } },
      }
      : { description: r.description };
  }
  if (route.auth) responses["401"] = { description: "Missing, invalid or expired token" };
  if (route.body || route.query || route.params) responses["422"] = { description: "Validation error" };
  op.responses = responses;
  return op;
}

function parametersOf(schema: z.ZodType | undefined, place: "path" | "query") {
  if (!schema) return [];
  const json = jsonSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: place,
    required: place === "path" || (json.required ?? []).includes(name),
    schema: s,
  }));
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  try {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<
      string,
      unknown
    >;
    return rest;
  } catch {
    return {};
  }
}
