import assert from "node:assert/strict";
import { z } from "zod";
import { describeSize } from "./body-limit.ts";
import { AppError } from "./errors.ts";
import { createFunctionApp } from "./http.ts";
import { createLogger } from "./log.ts";
import { decodeUtf8, fieldProblems, formFields, textProblems } from "./request-text.ts";
import { createRoute, idParamsFor, json, jsonBody } from "./route.ts";

Deno.test("textProblems names every string (and key) with NUL or a lone surrogate by its path", () => {
  const problems = textProblems({ a: "ok", b: ["x", "y\u0000"], ["k\u0000"]: 1, c: { d: "\ud800" } }, "body");
  const found = problems.map((p) => [p.loc, p.type]);
  assert.deepEqual(found.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [
    [["body", "b", 1], "string_nul"],
    [["body", "c", "d"], "string_unicode"],
    [["body", "k\u0000"], "string_nul"],
  ]);
  assert.deepEqual(textProblems({ nombre: "José 🙂", n: 1, ok: true, nada: null }, "body"), []);
});

Deno.test("textProblems refuses nesting deeper than 32 levels without recursing", () => {
  let deep: unknown = "x";
  for (let i = 0; i < 100_000; i++) deep = [deep];
  const problems = textProblems(deep, "body");
  assert.equal(problems.length, 1);
  assert.equal(problems[0].type, "too_deep");
  assert.equal(problems[0].loc.length, 33);
});

Deno.test("decodeUtf8 refuses bytes that are not UTF-8 with a 422 instead of U+FFFD", () => {
  assert.equal(decodeUtf8(new TextEncoder().encode("año")), "año");
  assert.throws(
    () => decodeUtf8(new Uint8Array([0x61, 0xff])),
    (e) => e instanceof AppError && e.status === 422,
  );
});

Deno.test("formFields decodes as the WHATWG parser, refusing percent-encoded bytes that are not UTF-8", () => {
  assert.deepEqual(formFields("a=Jos%C3%A9&b=x+y&c&d=%zz&&e=%00"), [
    ["a", "José"],
    ["b", "x y"],
    ["c", ""],
    ["d", "%zz"],
    ["e", "\u0000"],
  ]);
  assert.throws(() => formFields("a=%C3"), (e) => e instanceof AppError && e.status === 422);
  assert.deepEqual(fieldProblems(formFields("q=ok&q=a%00"), "body").map((p) => p.loc), [["body", "q"]]);
});

Deno.test("describeSize", () => {
  assert.equal(describeSize(256 * 1024), "256 KB");
  assert.equal(describeSize(5 * 1024 * 1024), "5 MB");
  assert.equal(describeSize(100), "100 bytes");
});

function app() {
  const app = createFunctionApp({
    name: "users",
    version: "1",
    log: createLogger("test", "error", () => {}),
    corsOrigins: [],
    checks: {},
  });
  const echo = z.object({ slug: z.string() });
  app.openapi(
    createRoute({
      method: "get",
      path: "/slugs/{slug}",
      request: { params: echo },
      responses: { 200: json(echo, "The slug") },
    }),
    (c) => c.json(c.req.valid("param"), 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/things/{id}",
      request: {
        params: idParamsFor("Cosa no encontrada"),
        body: jsonBody(z.object({ nombre: z.string() })),
      },
      responses: { 200: json(z.object({ nombre: z.string() }), "Saved") },
    }),
    (c) => c.json(c.req.valid("json"), 200),
  );
  return app;
}

Deno.test("a NUL in a free-text path parameter is 422 naming it; in an id, the route's own 404", async () => {
  const slug = await app().request("/users/slugs/a%00b");
  assert.equal(slug.status, 422);
  assert.deepEqual((await slug.json()).errors[0].loc, ["path", "slug"]);
  const id = await app().request("/users/things/%00", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(id.status, 404);
  assert.equal((await id.json()).detail, "Cosa no encontrada");
});

Deno.test("the checked body is put back for the validator, which still sees every byte", async () => {
  const ok = await app().request(`/users/things/${crypto.randomUUID()}`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ nombre: "Ñandú" }),
  });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { nombre: "Ñandú" });
  const nul = await app().request(`/users/things/${crypto.randomUUID()}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ nombre: "a\u0000" }),
  });
  assert.equal(nul.status, 422);
  const body = await nul.json();
  assert.deepEqual(body.errors[0].loc, ["body", "nombre"]);
  assert.match(body.detail, /nombre: No se admite el carácter nulo/);
});
