import fc from "fast-check";
import {
  fromSchema,
  hostileValue,
  hugeString,
  NASTY_STRINGS,
  replaceNode,
  type Resolve,
} from "./fuzz-values.ts";
import type { ApiOperation, JsonSchema } from "./openapi.ts";

/**
 * Requests for one operation of the OpenAPI document: built from its schemas (path, query,
 * headers, each body media type), then some of them spoiled — hostile values in one field, a body
 * that is not JSON or not UTF-8, extreme numbers, a content type the route does not take — sent
 * with no token, a bad one, or a token of each role.
 */
export type Who = "none" | "garbage" | "expired" | "CLIENTE" | "PROFESIONAL" | "ADMIN";

export type FuzzRequest = {
  method: string;
  url: string;
  who: Who;
  headers: Record<string, string>;
  body?: Uint8Array<ArrayBuffer> | FormData;
  /** What was generated, for the failure report. */
  note: string;
};

export type FuzzContext = { resolve: Resolve; ids: string[]; apiKey?: string };

const JSON_VARIANTS = [
  "application/json; charset=utf-8",
  "application/merge-patch+json",
  "APPLICATION/JSON",
  "application/json; charset=latin1",
];
const WRONG_TYPES = [
  "text/plain",
  "application/xml",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "a/b;;;=",
  "",
];
const RAW_PATH_TOKENS = [
  "%00",
  "abc",
  "1",
  "-1",
  "x".repeat(3000),
  "..%2F..%2Fetc",
  "%ZZ",
  "%F0%9F%99%82",
  "%20",
];
const RAW_QUERY_TOKENS = ["%00", "a%00b", "%FF", "%", "%E2%82", "%ZZ", "+", "a".repeat(10_000), "%ED%A0%80"];

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text) as Uint8Array<ArrayBuffer>;

/** A component that survives `encodeURIComponent` (lone surrogates do not). */
function encode(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? "";
  try {
    return encodeURIComponent(text);
  } catch {
    return "%ED%A0%80";
  }
}

function pathArb(op: ApiOperation, ctx: FuzzContext): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const segment = fc.oneof(
    { weight: 6, arbitrary: ctx.ids.length ? fc.constantFrom(...ctx.ids) : fc.uuid() },
    { weight: 3, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: fc.constantFrom(...RAW_PATH_TOKENS) },
    { weight: 1, arbitrary: fc.constantFrom(...NASTY_STRINGS).map(encode) },
  );
  return fc.array(segment, { minLength: names.length, maxLength: names.length }).map((values) => {
    let i = 0;
    return op.path.replace(/\{[^}]+\}/g, () => values[i++]);
  });
}

function queryArb(op: ApiOperation, ctx: FuzzContext): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === "query");
  const one = (schema: JsonSchema) =>
    fc.oneof(
      { weight: 5, arbitrary: fromSchema(schema, ctx.resolve, ctx.ids).map(encode) },
      { weight: 2, arbitrary: fc.constantFrom(...RAW_QUERY_TOKENS) },
      // Capped: a URL of megabytes is refused by the client before it is sent.
      { weight: 2, arbitrary: hostileValue().map((v) => encode(v).slice(0, 12_000)) },
    );
  const pairs = params.map((p) =>
    fc.option(fc.array(one(p.schema ?? {}), { minLength: 1, maxLength: 2 }), { freq: 2 })
      .map((values) => (values ?? []).map((v) => `${encodeURIComponent(p.name)}=${v}`))
  );
  const extra = fc.option(fc.constantFrom("unknown=1", "%00=x", "a[b]=c", "&&&", "=x"), { freq: 4 });
  return fc.tuple(fc.tuple(...pairs), extra).map(([lists, more]) => {
    const all = [...lists.flat(), ...(more ? [more] : [])];
    return all.length ? `?${all.join("&")}` : "";
  });
}

/** A JSON body: the schema's value, one node replaced by a hostile value, or raw text spoiled. */
function jsonBodyArb(
  schema: JsonSchema,
  ctx: FuzzContext,
): fc.Arbitrary<{ text: Uint8Array<ArrayBuffer>; note: string }> {
  const valid = fromSchema(schema, ctx.resolve, ctx.ids);
  const asText = (value: unknown, note: string) => ({ text: bytes(JSON.stringify(value) ?? "null"), note });
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((v) => asText(v, "valid")) },
    {
      weight: 6,
      arbitrary: fc.tuple(valid, fc.nat(), hostileValue()).map(([v, i, h]) =>
        asText(replaceNode(v, i, h), "field")
      ),
    },
    {
      weight: 2,
      arbitrary: valid.chain((v) => {
        const text = JSON.stringify(v) ?? "null";
        return fc.constantFrom(
          { text: bytes(text.replace(/-?\d+(\.\d+)?/, "1e999")), note: "1e999" },
          {
            text: bytes(text.replace(/-?\d+(\.\d+)?/, "-123456789012345678901234567890")),
            note: "long number",
          },
          { text: bytes(text.slice(0, Math.floor(text.length / 2))), note: "truncated" },
          { text: bytes(`${text}}`), note: "trailing" },
          { text: bytes(text.replace(/^\{/, '{"__proto__":{"admin":true},')), note: "proto" },
          {
            text: new Uint8Array([...bytes(text.slice(0, -1)), 0xff, 0xfe, ...bytes(text.slice(-1))]),
            note: "not utf-8",
          },
          { text: bytes(""), note: "empty" },
        );
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { text: bytes("[".repeat(20_000) + "]".repeat(20_000)), note: "deep" },
        { text: bytes('{"a":1,"a":2}'), note: "duplicate key" },
        { text: bytes("'single'"), note: "not json" },
        { text: bytes("null"), note: "null" },
        { text: bytes('"\\u0000"'), note: "nul string" },
      ),
    },
    { weight: 1, arbitrary: hugeString().map((h) => asText({ texto: h }, "huge")) },
  );
}

function formBodyArb(
  schema: JsonSchema,
  ctx: FuzzContext,
): fc.Arbitrary<{ text: Uint8Array<ArrayBuffer>; note: string }> {
  const value = fc.tuple(fromSchema(schema, ctx.resolve, ctx.ids), fc.nat(), fc.option(hostileValue()))
    .map(([v, i, h]) => (h === null ? v : replaceNode(v, i, h)));
  return fc.oneof(
    {
      weight: 5,
      arbitrary: value.map((v) => {
        const fields = v && typeof v === "object" ? Object.entries(v) : [["campo", v]];
        return {
          text: bytes(fields.map(([k, x]) => `${encode(k)}=${encode(x)}`).join("&")),
          note: "form",
        };
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom("a=%FF", "%%%", "=&=&", "password=%00").map((t) => ({
        text: bytes(t),
        note: "raw form",
      })),
    },
  );
}

function multipartArb(schema: JsonSchema, ctx: FuzzContext): fc.Arbitrary<{ form: FormData; note: string }> {
  const s = ctx.resolve(schema);
  const fileName = fc.oneof(
    fc.constantFrom("a.png", "a.JPG", "doc.pdf", "x.txt", "x.svg", "x.html", "noext", "", ".png"),
    fc.constantFrom(...NASTY_STRINGS).map((n) => `${n}.png`),
    fc.constant(`${"n".repeat(5000)}.jpg`),
  );
  const content = fc.oneof(
    fc.uint8Array({ maxLength: 2048 }),
    fc.constantFrom("<svg onload=alert(1)>", "<!DOCTYPE html><html>", "", "%PDF-1.4").map(bytes),
  );
  const file = fc.tuple(fileName, content).map(([name, data]) => new File([data as BlobPart], name));
  const fields = Object.entries(s.properties ?? {}).map(([name, prop]) => {
    const p = ctx.resolve(prop);
    const binary = p.format === "binary" || ctx.resolve(p.items ?? {}).format === "binary";
    const values: fc.Arbitrary<(File | string)[]> = binary
      ? fc.array(file, { minLength: 0, maxLength: 3 })
      : fc.option(fc.oneof(fromSchema(p, ctx.resolve, ctx.ids), hostileValue())).map((v) =>
        v === null ? [] : [typeof v === "string" ? v : JSON.stringify(v) ?? ""]
      );
    return values.map((list) => [name, list] as const);
  });
  return fc.tuple(...fields).map((entries) => {
    const form = new FormData();
    for (const [name, list] of entries) for (const item of list) form.append(name, item);
    return { form, note: "multipart" };
  });
}

type Body = { body?: Uint8Array<ArrayBuffer> | FormData; contentType?: string; note: string };

function bodyArb(op: ApiOperation, ctx: FuzzContext): fc.Arbitrary<Body> {
  const options: { weight: number; arbitrary: fc.Arbitrary<Body> }[] = [
    { weight: 1, arbitrary: fc.constant({ note: "no body" }) },
  ];
  const json = op.bodies["application/json"];
  const jsonLike = json ?? {};
  options.push({
    weight: json ? 2 : 1,
    arbitrary: fc.tuple(jsonBodyArb(jsonLike, ctx), fc.constantFrom(...WRONG_TYPES, ...JSON_VARIANTS))
      .map(([b, type]) => ({ body: b.text, contentType: type, note: `${b.note} as ${type || "no type"}` })),
  });
  if (json) {
    options.push({
      weight: 8,
      arbitrary: jsonBodyArb(json, ctx).map((b) => ({
        body: b.text,
        contentType: "application/json",
        note: b.note,
      })),
    });
  }
  const form = op.bodies["application/x-www-form-urlencoded"];
  if (form) {
    options.push({
      weight: 4,
      arbitrary: formBodyArb(form, ctx).map((b) => ({
        body: b.text,
        contentType: "application/x-www-form-urlencoded",
        note: b.note,
      })),
    });
  }
  const multipart = op.bodies["multipart/form-data"];
  if (multipart) {
    options.push({
      weight: 8,
      arbitrary: multipartArb(multipart, ctx).map((b) => ({ body: b.form, note: b.note })),
    });
    options.push({
      weight: 1,
      arbitrary: multipartArb(multipart, ctx).map((b) => ({
        body: b.form,
        contentType: "multipart/form-data",
        note: "multipart without boundary",
      })),
    });
  }
  return fc.oneof(...options);
}

function whoArb(op: ApiOperation): fc.Arbitrary<Who> {
  const admitted = op.roles as Who[];
  const others: Who[] = ["none", "garbage", "expired", "CLIENTE", "PROFESIONAL", "ADMIN"];
  return admitted.length
    ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...admitted) }, {
      weight: 2,
      arbitrary: fc.constantFrom(...others),
    })
    : fc.constantFrom<Who>(...others);
}

/** Requests for `op` (GET/DELETE get a body only rarely, as some clients send one). */
export function requestArb(op: ApiOperation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const apiKey = op.parameters.some((p) => p.in === "header" && p.name === "x-api-key")
    ? fc.option(fc.oneof(fc.constant(ctx.apiKey ?? ""), fc.string({ maxLength: 40 })), { freq: 4 })
    : fc.constant(null);
  const bodyless = op.method === "GET" || op.method === "HEAD";
  return fc.record({
    path: pathArb(op, ctx),
    query: queryArb(op, ctx),
    who: whoArb(op),
    body: bodyless ? fc.constant<Body>({ note: "no body" }) : bodyArb(op, ctx),
    apiKey,
  }).map(({ path, query, who, body, apiKey }) => {
    const headers: Record<string, string> = {};
    if (body.contentType) headers["content-type"] = body.contentType;
    if (apiKey !== null) headers["x-api-key"] = apiKey;
    return { method: op.method, url: path + query, who, headers, body: body.body, note: body.note };
  });
}
