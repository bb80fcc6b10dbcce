import type { ValidationTargets } from "hono";
import { validator } from "hono/validator";
import { z } from "zod";
import { AppError, type FieldError } from "./errors.ts";

// Messages in Spanish, as the original's clients show them to people.
z.config(z.locales.es());

const LOCATION: Record<keyof ValidationTargets, string> = {
  json: "body",
  form: "body",
  query: "query",
  param: "path",
  header: "header",
  cookie: "cookie",
};

/**
 * Validates one part of the request with a zod schema; failures become 422 with a readable
 * string `detail` (the frontend renders it as text) and the FastAPI-style list in `errors`.
 *
 * @example
 * app.post("/auth/register", validate("json", registerSchema), (c) => {
 *   const body = c.req.valid("json"); // typed from the schema
 * });
 */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return validator(target, async (value): Promise<z.output<Schema>> => {
    const result = await schema.safeParseAsync(value);
    if (!result.success) throw validationError(result.error, LOCATION[target]);
    return result.data;
  });
}

export function validationError(error: z.ZodError, location: string): AppError {
  const errors: FieldError[] = error.issues.map((issue) => ({
    loc: [location, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
    msg: issue.message,
    type: issue.code,
  }));
  return new AppError("validation_failed", summarize(errors), { errors });
}

function summarize(errors: FieldError[]): string {
  const parts = errors.slice(0, 5).map((e) => {
    const field = e.loc.slice(1).join(".");
    return field ? `${field}: ${e.msg}` : e.msg;
  });
  const more = errors.length > 5 ? ` (y ${errors.length - 5} más)` : "";
  return `Datos inválidos — ${parts.join("; ")}${more}`;
}
