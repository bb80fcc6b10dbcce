import type { Context } from "hono";
import type { z } from "zod";
import { AppError } from "../../shared/errors.ts";
import type { AppEnv } from "../../shared/http.ts";
import { validationError } from "../../shared/validate.ts";

/**
 * Auth's routes take their fields as JSON or as a form (the original's OAuth2 login is
 * form-urlencoded; the frontend sends JSON), and some also from the query string (the
 * microservices generation's forgot/reset). Body fields win over query fields.
 */
export async function readInput<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
  options: { query?: boolean } = {},
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
  if (type && type !== "application/json" && !type.endsWith("+json")) {
    throw new AppError("validation_failed", "Formato no soportado: enviá JSON o un formulario");
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
