import type { Context } from "hono";
import { z } from "zod";
import { AppError } from "../../shared/errors.ts";
import type { AppEnv } from "../../shared/http.ts";
import { validationError } from "../../shared/validation.ts";

/** The media types every auth body may come in: the original's OAuth2 form, the frontend's JSON. */
const MEDIA_TYPES = ["application/json", "application/x-www-form-urlencoded"] as const;

/**
 * The flat JSON Schema of a fields object as the document carries it — a plain object, not a zod
 * type (the library would validate with a zod one; see `authFields`).
 */
type FieldSchema = {
  type?: "string" | "integer" | "number" | "boolean";
  minLength?: number;
  maxLength?: number;
  enum?: unknown[];
  default?: unknown;
};
type FieldsSchema = { type: "object"; properties: Record<string, FieldSchema>; required?: string[] };

/**
 * Auth's request fields, defined once for a route: its OpenAPI request (and query parameters)
 * and the reader that validates them. Auth's routes take their fields as JSON or as a form (the
 * original's OAuth2 login is form-urlencoded; the frontend sends JSON), some also from the query
 * string (the microservices generation's forgot/reset), body fields winning over query fields.
 *
 * Why the route definition only documents the body instead of handing it to `@hono/zod-openapi`
 * to validate: two required media types would each validate the other's request as `{}`, an
 * absent body would skip validation instead of answering 422 with the missing fields, and body
 * and query are separate targets there, so "in the body or the query" cannot be said.
 * `read(c)` runs in the handler, after the route's guard, so auth still comes before validation.
 *
 * @example
 * const login = authFields(loginSchema);
 * createRoute({ method: "post", path: "/auth/login", ...login.doc, responses: {...} });
 * app.openapi(route, async (c) => { const input = await login.read(c); ... });
 */
export function authFields<S extends z.ZodType>(
  schema: S,
  options: { query?: boolean; description?: string } = {},
) {
  const { $schema: _, ...generated } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  // OpenAPI 3.1's schema object is JSON Schema 2020-12, what zod generates; auth's field objects
  // are flat (strings, an enum), which `FieldsSchema` states.
  const jsonSchema = generated as FieldsSchema;
  const content = Object.fromEntries(MEDIA_TYPES.map((type) => [type, { schema: jsonSchema }]));
  const doc = {
    request: {
      body: {
        // Optional when the fields may all come in the query string, or none is required.
        required: !options.query && (jsonSchema.required?.length ?? 0) > 0,
        description: options.description ?? "JSON or form fields (the same answer either way)",
        content,
      },
    },
    ...(options.query
      ? {
        parameters: Object.entries(jsonSchema.properties).map(([name, property]) => ({
          name,
          in: "query" as const,
          required: false,
          description: "Accepted here too; the body's value wins",
          schema: property,
        })),
      }
      : {}),
  };
  return {
    doc,
    read: (c: Context<AppEnv>): Promise<z.output<S>> => readInput(c, schema, options),
  };
}

async function readInput<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
  options: { query?: boolean },
): Promise<z.output<S>> {
  const fields = { ...(options.query ? c.req.query() : {}), ...await readBody(c) };
  const result = await schema.safeParseAsync(fields);
  if (!result.success) throw validationError(result.error, "body");
  return result.data;
}

async function readBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") {
    const form = await c.req.parseBody().catch(() => {
      throw new AppError("validation_failed", "El formulario no se pudo leer");
    });
    return Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === "string"));
  }
  const text = await c.req.text();
  if (!text.trim()) return {};
  // JSON (or a form) under another declared type is refused, not read as if it were JSON.
  if (type && type !== "application/json" && !type.endsWith("+json")) {
    throw new AppError("unsupported_media_type", "Formato no soportado: enviá JSON o un formulario");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("validation_failed", "El cuerpo de la solicitud no es JSON válido");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError("validation_failed", "El cuerpo de la solicitud debe ser un objeto JSON");
  }
  return body as Record<string, unknown>;
}
