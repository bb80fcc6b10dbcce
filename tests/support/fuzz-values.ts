import fc from "fast-check";
import type { JsonSchema } from "./openapi.ts";

/**
 * Values for the route fuzzer: valid ones generated from a route's JSON Schema (so requests get
 * past validation into the handlers and SQL), and the hostile ones a careless client or an
 * attacker sends instead.
 */
export type Resolve = (schema: JsonSchema) => JsonSchema;

/** Strings that broke or could break something: NUL, lone surrogates, controls, injections. */
export const NASTY_STRINGS = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\u0001\u001f\u007f",
  "\ufeff",
  "\u202eabc",
  "%00",
  "%",
  "",
  " ",
  "\n\r\t",
  "'; drop table public.usuarios; --",
  "' or '1'='1",
  "\\",
  '"',
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "${jndi:ldap://x}",
  "🙂👩‍👩‍👧‍👦",
  "e\u0301\u0301\u0301",
  "NaN",
  "-1",
  "0",
  "1e999",
  "true",
  "null",
  "00000000-0000-0000-0000-000000000000",
  "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
  "2026-02-30T25:61:61Z",
  "0000-01-01",
  "9999-12-31T23:59:59.999Z",
  "a@b",
  "http://",
  "javascript:alert(1)",
];

/** Numbers at the edges: beyond int4/int8, the largest and smallest doubles, negative zero. */
export const EXTREME_NUMBERS = [
  0,
  -0,
  -1,
  0.1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  -(2 ** 63),
  1e21,
  1e308,
  -1e308,
  5e-324,
  123456789012345678901234567890,
];

/** A string of `length` characters (some multi-byte), to cross length checks and the body limit. */
export function hugeString(): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(256, 5_000, 70_000, 300_000), fc.constantFrom("a", "ñ", "🙂", "\u0000"))
    .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));
}

/** Any hostile value: a nasty or huge string, an extreme number, or a value of the wrong type. */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 8 }).map((text) => `${text}\u0000${text}`) },
    { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 1, arbitrary: hugeString() },
    { weight: 3, arbitrary: fc.constantFrom(...EXTREME_NUMBERS) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.constantFrom([], {}, true, false, null, [[[[]]]], { a: { b: { c: {} } } }) },
  );
}

/**
 * A value the schema accepts (mostly): each keyword the routes use is honoured, sizes kept small.
 * `ids` are the uuids worth sending (existing accounts); others are random.
 */
export function fromSchema(
  schema: JsonSchema,
  resolve: Resolve,
  ids: string[],
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (depth > 4) return fc.constant(null);
  if ("const" in s) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (union?.length) return fc.oneof(...union.map((u) => fromSchema(u, resolve, ids, depth + 1)));
  if (s.allOf?.length) return fromSchema(mergeAll(s.allOf.map(resolve)), resolve, ids, depth + 1);
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : inferTypes(s);
  if (types.length > 1) {
    return fc.oneof(...types.map((type) => fromSchema({ ...s, type }, resolve, ids, depth)));
  }
  switch (types[0]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({
        min: bound(s.minimum ?? s.exclusiveMinimum, -1000),
        max: bound(s.maximum, 1000, true),
      });
    case "number":
      return fc.double({
        min: bound(s.minimum ?? s.exclusiveMinimum, -1000),
        max: bound(s.maximum ?? s.exclusiveMaximum, 1000, true),
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "string":
      return stringFor(s, ids);
    case "array":
      return fc.array(fromSchema(s.items ?? {}, resolve, ids, depth + 1), {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 4, 4)),
      });
    case "object": {
      const properties = s.properties ?? {};
      const model = Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [key, fromSchema(value, resolve, ids, depth + 1)]),
      );
      const required = (s.required ?? []).filter((key) => key in properties);
      return fc.record(model, { requiredKeys: required });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(s: JsonSchema, ids: string[]): fc.Arbitrary<string> {
  const maxLength = Math.min(s.maxLength ?? 40, 40);
  const minLength = Math.min(s.minLength ?? 0, maxLength);
  switch (s.format) {
    case "uuid":
      return ids.length ? fc.oneof(fc.constantFrom(...ids), fc.uuid()) : fc.uuid();
    case "email":
      return fc.emailAddress();
    case "uri":
    case "url":
      return fc.webUrl();
    case "date-time":
      return fc.date({ noInvalidDate: true, min: new Date("1900-01-01"), max: new Date("2200-01-01") })
        .map((d) => d.toISOString());
    case "date":
      return fc.date({ noInvalidDate: true, min: new Date("1900-01-01"), max: new Date("2200-01-01") })
        .map((d) => d.toISOString().slice(0, 10));
  }
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= Math.max(maxLength, 64));
    } catch { /* a pattern JS cannot compile: plain strings */ }
  }
  return fc.string({ minLength, maxLength, unit: "grapheme" });
}

function bound(value: number | undefined, fallback: number, upper = false): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return upper ? Math.min(value, 1e9) : Math.max(value, -1e9);
}

function inferTypes(s: JsonSchema): string[] {
  if (s.properties) return ["object"];
  if (s.items) return ["array"];
  return [];
}

function mergeAll(parts: JsonSchema[]): JsonSchema {
  return parts.reduce((all, part) => ({
    ...all,
    ...part,
    properties: { ...all.properties, ...part.properties },
    required: [...(all.required ?? []), ...(part.required ?? [])],
  }), {} as JsonSchema);
}

/** `value` with its `index`-th node (mod the count; 0 is the whole value) replaced by `by`. */
export function replaceNode(value: unknown, index: number, by: unknown): unknown {
  const nodes: { parent: Record<string | number, unknown> | null; key: string | number }[] = [
    { parent: null, key: "" },
  ];
  const copy = structuredClone(value);
  const walk = (node: unknown) => {
    if (node === null || typeof node !== "object") return;
    for (const key of Object.keys(node)) {
      nodes.push({ parent: node as Record<string, unknown>, key });
      walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(copy);
  const target = nodes[index % nodes.length];
  if (!target.parent) return by;
  target.parent[target.key] = by;
  return copy;
}
