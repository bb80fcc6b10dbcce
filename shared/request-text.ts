import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { z } from "zod";
import type { AppEnv } from "./app-env.ts";
import { AppError, type FieldError } from "./errors.ts";
import { invalidFields } from "./validation.ts";

/**
 * Text Postgres cannot store, refused once for every route instead of crashing each one with a
 * 500: the NUL character (Postgres rejects U+0000 in `text`), bytes that are not UTF-8 (a lenient
 * decoder would store them as U+FFFD), lone surrogates (no UTF-8 form at all) and JSON nested
 * deeper than any of our bodies (recursive code further on would overflow its stack).
 */
const NUL = "\u0000";
const MAX_DEPTH = 32;
const MAX_REPORTED = 10;
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
const FORM_TYPE = "application/x-www-form-urlencoded";
const MULTIPART_TYPE = "multipart/form-data";

type Path = (string | number)[];

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The bytes as UTF-8 text, or our 422 when they are not UTF-8.
 *
 * @example
 * const text = decodeUtf8(new Uint8Array(await request.arrayBuffer()), ["body"]);
 */
export function decodeUtf8(bytes: Uint8Array, loc: Path = ["body"]): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw invalidFields([{ loc, msg: "El texto no es UTF-8 válido", type: "utf8_invalid" }]);
  }
}

/**
 * Problems with the strings of a parsed value (keys included), each with its `loc` under
 * `location`. Iterative, so a deeply nested value cannot overflow the stack here.
 *
 * @example
 * textProblems({ nombre: "a\u0000" }, "body"); // [{ loc: ["body", "nombre"], msg: "…", type: "string_nul" }]
 */
export function textProblems(value: unknown, location: string): FieldError[] {
  const problems: FieldError[] = [];
  const pending: { value: unknown; path: Path }[] = [{ value, path: [] }];
  while (pending.length && problems.length < MAX_REPORTED) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === "string") {
      const problem = stringProblem(current);
      if (problem) problems.push({ loc: [location, ...path], ...problem });
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    if (path.length >= MAX_DEPTH) {
      problems.push({
        loc: [location, ...path],
        msg: `Anidamiento de más de ${MAX_DEPTH} niveles`,
        type: "too_deep",
      });
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(current)
      ? current.map((item, index) => [index, item])
      : Object.entries(current);
    for (const [key, item] of entries.reverse()) {
      const keyProblem = typeof key === "string" ? stringProblem(key) : null;
      if (keyProblem) problems.push({ loc: [location, ...path, key], ...keyProblem });
      pending.push({ value: item, path: [...path, key] });
    }
  }
  return problems;
}

/**
 * Problems with named text fields (a query string, a form): `loc` is `[location, name]`, the
 * same for every value of a repeated name.
 *
 * @example
 * fieldProblems([["q", "a\u0000"]], "query"); // [{ loc: ["query", "q"], … }]
 */
export function fieldProblems(fields: Iterable<[string, string]>, location: string): FieldError[] {
  const problems: FieldError[] = [];
  for (const [name, value] of fields) {
    const problem = stringProblem(name) ?? stringProblem(value);
    if (problem) problems.push({ loc: [location, name], ...problem });
    if (problems.length >= MAX_REPORTED) break;
  }
  return problems;
}

function stringProblem(text: string): { msg: string; type: string } | null {
  if (text.includes(NUL)) return { msg: "No se admite el carácter nulo (U+0000)", type: "string_nul" };
  if (!text.isWellFormed()) {
    return { msg: "Texto Unicode inválido (sustituto suelto)", type: "string_unicode" };
  }
  return null;
}

/**
 * `application/x-www-form-urlencoded` fields, decoded strictly: the WHATWG parser, except that
 * percent-encoded bytes that are not UTF-8 are refused (422) instead of becoming U+FFFD.
 *
 * @example
 * formFields("nombre=Jos%C3%A9&x=1"); // [["nombre", "José"], ["x", "1"]]
 */
export function formFields(text: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const pair of text.split("&")) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const [name, value] = at === -1 ? [pair, ""] : [pair.slice(0, at), pair.slice(at + 1)];
    fields.push([percentDecode(name), percentDecode(value)]);
  }
  return fields;
}

function percentDecode(text: string): string {
  const bytes = new TextEncoder().encode(text.replaceAll("+", " "));
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const hex = bytes[i] === 0x25 && i + 2 < bytes.length
      ? String.fromCharCode(bytes[i + 1], bytes[i + 2])
      : "";
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out[length++] = parseInt(hex, 16);
      i += 2;
    } else {
      out[length++] = bytes[i];
    }
  }
  return decodeUtf8(out.subarray(0, length));
}

/** What the route kit knows of a route: its path-parameter schema and the media types its body takes. */
export type RouteTextOptions = { params?: z.ZodType; mediaTypes?: readonly string[] };

/**
 * Route middleware (the route kit adds it to every route, after the guard and before validation):
 * query, path parameters and the body (JSON, form or multipart fields and file names) are checked
 * for the text above, whoever parses the body afterwards — the route's validator or a handler of
 * its own. The body is read once and put back for them. A path parameter its own schema refuses
 * anyway is left to that schema (ids answer 404, API.md rule 3). A non-empty body under a content
 * type a JSON or form route does not declare answers 415 (routes that read their body themselves
 * used to take `text/plain` JSON as JSON).
 *
 * @example
 * app.on("POST", "/things/:id", auth, requestTextGuard({ params: idParams, mediaTypes: ["application/json"] }), handler);
 */
export function requestTextGuard(options: RouteTextOptions = {}): MiddlewareHandler<AppEnv> {
  const declared = options.mediaTypes ?? [];
  // Only routes that take text are gated: an upload route reads nothing but its multipart parts.
  const takesText = declared.some((d) => JSON_TYPE.test(d) || d.toLowerCase() === FORM_TYPE);
  return createMiddleware<AppEnv>(async (c, next) => {
    const queries = Object.entries(c.req.queries()).flatMap(([name, values]) =>
      values.map((value) => [name, value] as [string, string])
    );
    const query = fieldProblems(queries, "query");
    if (query.length) throw invalidFields(query);
    const params = c.req.param() as Record<string, string>;
    const path = fieldProblems(Object.entries(params), "path");
    if (path.length && (!options.params || options.params.safeParse(params).success)) {
      throw invalidFields(path);
    }
    if (path.length) return await next();

    if (!c.req.raw.body) return await next();
    const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
    const known = JSON_TYPE.test(type) || type === FORM_TYPE || type === MULTIPART_TYPE;
    const undeclared = type !== "" && takesText && !declared.some((d) => takes(d, type));
    if (!known && !undeclared) return await next();
    const bytes = new Uint8Array(await c.req.raw.arrayBuffer());
    c.req.raw = withBody(c.req.raw, bytes);
    if (undeclared && bytes.length) throw unsupported(declared);
    const body = type === MULTIPART_TYPE
      ? await multipartProblems(bytes, c.req.header("content-type")!)
      // Hono keeps promises there, whatever its type says.
      : textBodyProblems(type, bytes, c.req.bodyCache as Record<string, Promise<unknown>>);
    if (body.length) throw invalidFields(body);
    await next();
  });
}

/** Whether a declared media type takes a request's (`application/json` also takes `…+json`). */
/**
 * `request` with `body` in place of its own (already read), and `headers` if given. Built from its
 * parts, not with `new Request(request, …)` or `clone()`: those copy its `signal`, which makes
 * Deno.serve warn about the signal's legacy abort behaviour; nothing here listens to it.
 *
 * @example
 * c.req.raw = withBody(c.req.raw, new Uint8Array(await c.req.raw.arrayBuffer()));
 */
export function withBody(request: Request, body: BodyInit, headers: Headers = request.headers): Request {
  return new Request(request.url, { method: request.method, headers, body });
}

function takes(declared: string, type: string): boolean {
  const wanted = declared.toLowerCase();
  if (wanted === "*/*") return true;
  if (JSON_TYPE.test(wanted)) return JSON_TYPE.test(type);
  // Either form encoding for either (as the library's own gate, and auth's reader, take them).
  const forms = [FORM_TYPE, MULTIPART_TYPE];
  if (forms.includes(wanted)) return forms.includes(type);
  if (wanted.endsWith("/*")) return type.startsWith(wanted.slice(0, -1));
  return type === wanted;
}

function unsupported(declared: readonly string[]): AppError {
  const names = declared.map((d) => (JSON_TYPE.test(d) ? "JSON" : d === FORM_TYPE ? "un formulario" : d));
  return new AppError("unsupported_media_type", `Tipo de contenido no soportado: enviá ${names.join(" o ")}`);
}

/**
 * The body's problems; the text and the parsed JSON go into Hono's body cache, so the route's
 * validator (`c.req.json()`) or handler does not read and parse the body a second time.
 */
function textBodyProblems(
  type: string,
  bytes: Uint8Array,
  cache: Record<string, Promise<unknown>>,
): FieldError[] {
  const text = decodeUtf8(bytes);
  cache.text = Promise.resolve(text);
  if (type === FORM_TYPE) return fieldProblems(formFields(text), "body");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return []; // malformed: the route answers it in its own words
  }
  cache.json = Promise.resolve(value);
  return textProblems(value, "body");
}

async function multipartProblems(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<FieldError[]> {
  const form = await new Response(bytes, { headers: { "content-type": contentType } }).formData()
    .catch(() => null);
  if (!form) return []; // malformed: the route answers it
  const fields: [string, string][] = [];
  for (const [name, value] of form) fields.push([name, typeof value === "string" ? value : value.name]);
  return fieldProblems(fields, "body");
}
