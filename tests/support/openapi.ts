import type { Operation } from "../../shared/openapi-document.ts";
import { api } from "./gateway.ts";

/**
 * The merged OpenAPI document as the gateway serves it, walked operation by operation — for tests
 * that cover every route, including routes added after the test was written.
 */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
};

export type Parameter = { name: string; in: "path" | "query" | "header" | "cookie"; schema?: JsonSchema };

export type ApiOperation = {
  method: string;
  path: string;
  operation: Operation;
  /** Roles admitted (`x-roles`); empty for a public route. */
  roles: string[];
  parameters: Parameter[];
  /** Request media types → their schema ($refs resolved at the top level). */
  bodies: Record<string, JsonSchema>;
  bodyRequired: boolean;
};

export type ApiDocument = { operations: ApiOperation[]; resolve(schema: JsonSchema): JsonSchema };

/** Every operation of the gateway's `/openapi.json`. */
export async function apiDocument(): Promise<ApiDocument> {
  const { status, body: doc } = await (await api()).json("GET", "/openapi.json");
  if (status !== 200) throw new Error(`/openapi.json answered ${status}`);
  const schemas = (doc.components?.schemas ?? {}) as Record<string, JsonSchema>;
  const resolve = (schema: JsonSchema): JsonSchema => {
    let current = schema;
    for (let hops = 0; current?.$ref && hops < 10; hops++) {
      current = schemas[current.$ref.replace("#/components/schemas/", "")] ?? {};
    }
    return current ?? {};
  };
  const operations: ApiOperation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, operation] of Object.entries(byMethod)) {
      const requestBody = operation.requestBody as
        | { required?: boolean; content?: Record<string, { schema?: JsonSchema }> }
        | undefined;
      const bodies = Object.fromEntries(
        Object.entries(requestBody?.content ?? {}).map((
          [type, media],
        ) => [type, resolve(media.schema ?? {})]),
      );
      operations.push({
        method: method.toUpperCase(),
        path,
        operation,
        roles: operation.security?.length ? operation["x-roles"] ?? [] : [],
        parameters: ((operation.parameters ?? []) as Parameter[]).map((p) => ({
          ...p,
          schema: resolve(p.schema ?? {}),
        })),
        bodies,
        bodyRequired: requestBody?.required === true,
      });
    }
  }
  return { operations, resolve };
}

/** `/admin/users/{id}` with each `{param}` replaced by `value(name)`, URL-encoded. */
export function fillPath(path: string, value: (name: string) => string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(value(name)));
}

/** The first property a body schema names (what a test puts its bad value in). */
export function firstProperty(schema: JsonSchema, resolve: (s: JsonSchema) => JsonSchema): string {
  const properties = Object.keys(resolve(schema).properties ?? {});
  return properties[0] ?? "campo";
}
