import assert from "node:assert/strict";
import { z } from "zod";
import { requireRole, requireUser } from "./auth.ts";
import { AppError } from "./errors.ts";
import { createFunctionApp } from "./http.ts";
import { createLogger } from "./log.ts";
import { createRoute, idParams, json, jsonBody } from "./route.ts";

const logged: Record<string, unknown>[] = [];
const log = createLogger("test", "debug", (line) => logged.push(JSON.parse(line)));

function testApp() {
  const app = createFunctionApp({
    name: "users",
    version: "9.9.9",
    log,
    corsOrigins: ["http://localhost:3000"],
    checks: { db: async () => {}, broken: () => Promise.reject(new Error("connection refused")) },
  });
  const fakeUser = { id: "u1", rol: "CLIENTE" as const, email: "a@b.c", sessionId: null, issuedAt: 0 };
  const auth = requireUser((token) => {
    if (token !== "good") return Promise.reject(new AppError("unauthorized", "Token inválido o expirado"));
    return Promise.resolve(fakeUser);
  });
  app.get("/boom", () => {
    throw new Error("secret internals: password=hunter2");
  });
  app.get("/admin-only", auth, requireRole("ADMIN"), (c) => c.json({ ok: true }));
  app.get("/me", auth, (c) => c.json({ id: c.var.user.id }));
  const thing = z.object({ nombre: z.string().min(1), precio: z.number().positive() });
  app.openapi(
    createRoute({
      method: "post",
      path: "/things",
      middleware: [auth],
      request: { body: jsonBody(thing) },
      responses: { 201: json(thing, "Created") },
    }),
    (c) => c.json(c.req.valid("json"), 201),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/things/{id}",
      request: { params: idParams },
      responses: { 200: json(z.object({ id: z.string() }), "The thing") },
    }),
    (c) => c.json({ id: c.req.valid("param").id }, 200),
  );
  return app;
}

Deno.test("an unexpected error answers 500 without internals and is logged with the request id", async () => {
  const response = await testApp().request("/users/boom", { headers: { "x-request-id": "req-500" } });
  assert.equal(response.status, 500);
  const body = await response.json();
  assert.deepEqual(body, { detail: "Error interno del servidor", code: "internal", request_id: "req-500" });
  const entry = logged.find((l) => l.msg === "unhandled error" && l.request_id === "req-500");
  assert.ok(entry, "the error is logged");
  assert.match(String(entry.error), /secret internals/);
});

Deno.test("a missing token answers 401 with WWW-Authenticate: Bearer", async () => {
  const response = await testApp().request("/users/me");
  assert.equal(response.status, 401);
  assert.equal(response.headers.get("www-authenticate"), "Bearer");
  assert.equal((await response.json()).detail, "Not authenticated");
  const wrongScheme = await testApp().request("/users/me", {
    headers: { authorization: "Basic Zm9vOmJhcg==" },
  });
  assert.equal(wrongScheme.status, 401);
});

Deno.test("a bad token answers 401 'Token inválido o expirado'", async () => {
  const response = await testApp().request("/users/me", {
    headers: { authorization: "Bearer invalid_token_12345" },
  });
  assert.equal(response.status, 401);
  assert.equal((await response.json()).detail, "Token inválido o expirado");
});

Deno.test("the wrong role answers 403 with the original's message", async () => {
  const response = await testApp().request("/users/admin-only", {
    headers: { authorization: "Bearer good" },
  });
  assert.equal(response.status, 403);
  const body = await response.json();
  assert.equal(body.code, "forbidden");
  assert.equal(body.detail, "Acceso denegado. Se requiere rol de Administrador");
});

Deno.test("an unknown route answers 404 JSON", async () => {
  const response = await testApp().request("/users/nope");
  assert.equal(response.status, 404);
  const body = await response.json();
  assert.equal(body.code, "not_found");
  assert.ok(body.request_id);
});

Deno.test("validation errors answer 422 with a string detail and the FastAPI list in errors", async () => {
  const response = await testApp().request("/users/things", {
    method: "POST",
    headers: { authorization: "Bearer good", "content-type": "application/json" },
    body: JSON.stringify({ nombre: "", precio: -1, ignored: true }),
  });
  assert.equal(response.status, 422);
  const body = await response.json();
  assert.equal(typeof body.detail, "string");
  assert.match(body.detail, /nombre/);
  assert.match(body.detail, /precio/);
  assert.deepEqual(body.errors.map((e: { loc: string[] }) => e.loc), [["body", "nombre"], [
    "body",
    "precio",
  ]]);
});

Deno.test("malformed JSON answers 422, not 400 or 500", async () => {
  const response = await testApp().request("/users/things", {
    method: "POST",
    headers: { authorization: "Bearer good", "content-type": "application/json" },
    body: "{not json",
  });
  assert.equal(response.status, 422);
  assert.equal(typeof (await response.json()).detail, "string");
});

Deno.test("auth is checked before validation", async () => {
  const response = await testApp().request("/users/things", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(response.status, 401);
});

Deno.test("a malformed id answers 404 like an unknown one (API.md rule 3), never 422 or 500", async () => {
  const response = await testApp().request("/users/things/abc");
  assert.equal(response.status, 404);
  assert.equal((await response.json()).code, "not_found");
});

Deno.test("a JSON route answers 415 to another content type and never runs the handler", async () => {
  const response = await testApp().request("/users/things", {
    method: "POST",
    headers: { authorization: "Bearer good", "content-type": "text/plain" },
    body: JSON.stringify({ nombre: "x", precio: 1 }),
  });
  assert.equal(response.status, 415);
  assert.equal((await response.json()).code, "unsupported_media_type");
});

Deno.test("the request id is taken from the caller or generated, and returned", async () => {
  const given = await testApp().request("/users/nope", { headers: { "x-request-id": "abc-123" } });
  assert.equal(given.headers.get("x-request-id"), "abc-123");
  const generated = await testApp().request("/users/nope", {
    headers: { "x-request-id": "bad id with spaces" },
  });
  assert.match(generated.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
});

Deno.test("every request writes one JSON access-log line", async () => {
  await testApp().request("/users/nope", { headers: { "x-request-id": "log-me" } });
  const lines = logged.filter((l) => l.msg === "request" && l.request_id === "log-me");
  assert.equal(lines.length, 1);
  assert.equal(lines[0].status, 404);
  assert.equal(lines[0].fn, "test");
});

Deno.test("CORS: an allowed origin's preflight is answered with credentials; others get no grant", async () => {
  const app = testApp();
  const preflight = await app.request("/users/things", {
    method: "OPTIONS",
    headers: {
      origin: "http://localhost:3000",
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "http://localhost:3000");
  assert.equal(preflight.headers.get("access-control-allow-credentials"), "true");
  assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /authorization/);
  const foreign = await app.request("/users/things", {
    method: "OPTIONS",
    headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
  });
  assert.equal(foreign.headers.get("access-control-allow-origin"), null);
  const simple = await app.request("/users/nope", { headers: { origin: "http://localhost:3000" } });
  assert.equal(simple.headers.get("access-control-allow-origin"), "http://localhost:3000");
});

Deno.test("security headers are on every response", async () => {
  const response = await testApp().request("/users/boom");
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  assert.equal(response.headers.get("x-frame-options"), "DENY");
  assert.equal(response.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
});

Deno.test("/health reports each check and answers 503 when one fails", async () => {
  const response = await testApp().request("/users/health");
  assert.equal(response.status, 503);
  const body = await response.json();
  assert.equal(body.status, "unhealthy");
  assert.equal(body.service, "users");
  assert.equal(body.version, "9.9.9");
  assert.equal(body.checks.db.status, "ok");
  assert.equal(body.checks.broken.status, "error");
  assert.equal(body.checks.broken.error, "connection refused");
});

Deno.test("/openapi.json lists every route with public paths", async () => {
  const response = await testApp().request("/users/openapi.json");
  const doc = await response.json();
  assert.equal(doc.openapi, "3.1.0");
  assert.ok(doc.paths["/things/{id}"].get);
  assert.ok(doc.paths["/things"].post);
  assert.equal(doc.paths["/health"], undefined);
});
