import type { Context } from "hono";
import { z } from "zod";
import { AppError, type FieldError } from "./errors.ts";

// Messages in Spanish, as the original's clients show them to people.
z.config(z.locales.es());

/**
 * A number in a JSON body: a JSON number or a decimal string (forms send strings, and the
 * original's models took both); never a boolean, array or null, which `z.coerce.number()` would
 * turn into 1, 5 or 0, nor `"0x10"`, which `Number()` reads as 16.
 *
 * @example
 * radio_km: jsonNumber.pipe(z.number().min(1).max(500))
 */
export const jsonNumber = z.union([
  z.number(),
  z.string().trim().regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/).transform(Number)
    .pipe(z.number({ error: "Debe ser un número" })),
], { error: "Debe ser un número" });

/** The largest amount a `numeric(12, 2)` column holds. */
export const MONEY_MAX = 9_999_999_999.99;

/**
 * A price or an amount to pay or return, for a `numeric(12, 2)` column: a `jsonNumber` of at least
 * one cent, in whole cents — a finer one is refused, not rounded (0.001, or 1e-20, would be stored
 * as 0) — and returned rounded to its cent, so `0.1 + 0.2` is 0.3 in the row, the event and the
 * chat card alike. `noun` starts its messages ("El precio", "El monto").
 *
 * @example
 * precio_final: moneyAmount("El precio")
 */
export function moneyAmount(noun: string) {
  return jsonNumber
    .pipe(z.number().min(0, `${noun} no puede ser menor que 0`).max(MONEY_MAX, `${noun} es demasiado grande`))
    .refine(wholeCents, `${noun} admite hasta dos decimales`)
    .transform((n) => Math.round(n * 100) / 100)
    .refine((n) => n >= 0.01, `${noun} debe ser mayor que cero`)
    .describe(`ARS in whole cents, 0.01 to ${MONEY_MAX}: a JSON number or a decimal string`);
}

/** Within float error of a whole number of cents (the error grows with the amount: a few ulps). */
function wholeCents(n: number): boolean {
  const cents = n * 100;
  return Math.abs(cents - Math.round(cents)) <= Math.max(1e-6, Math.abs(cents) * 4 * Number.EPSILON);
}

/** Where a validated part of the request sits, in FastAPI's `loc` vocabulary. */
const LOCATION: Record<string, string> = {
  json: "body",
  form: "body",
  query: "query",
  param: "path",
  header: "header",
  cookie: "cookie",
};

type HookResult = { success: true } | { success: false; error: z.ZodError; target: string };

/**
 * The validation hook of every route (`defaultHook` of each function's app): a failure becomes
 * our 422 with a readable string `detail` (the frontend renders it as text) and the FastAPI-style
 * list in `errors`. The library's own hook would answer 400 with zod's raw issues.
 *
 * @example
 * const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
 */
export function validationHook(result: HookResult, _c: Context): undefined {
  if (result.success) return undefined;
  // Every path parameter names a resource: one that cannot exist is "not found" (API.md rule 3),
  // the same answer as a well-formed id nobody has, so ids cannot be probed by their shape. The
  // schema's message is the route's own "not found" detail (see idParamsFor in route.ts).
  if (result.target === "param") {
    throw new AppError("not_found", result.error.issues[0]?.message ?? "Recurso no encontrado");
  }
  throw validationError(result.error, LOCATION[result.target] ?? result.target);
}

/**
 * A zod failure as our 422 error.
 *
 * @example
 * const parsed = schema.safeParse(input);
 * if (!parsed.success) throw validationError(parsed.error, "body");
 */
export function validationError(error: z.ZodError, location: string): AppError {
  const errors: FieldError[] = error.issues.map((issue) => ({
    loc: [location, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
    msg: issue.message,
    type: issue.code,
  }));
  return invalidFields(errors);
}

/**
 * Our 422 for problems found outside a schema (the request-text checks), with the same readable
 * `detail` and FastAPI-style `errors` as a schema failure.
 *
 * @example
 * throw invalidFields([{ loc: ["body", "nombre"], msg: "No se admite el carácter nulo", type: "string_nul" }]);
 */
export function invalidFields(errors: FieldError[]): AppError {
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
