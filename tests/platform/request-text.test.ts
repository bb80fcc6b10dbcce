// Text Postgres cannot store is refused once, at the validation layer, for every route (issue 10
// item 1): NUL in JSON, form and multipart fields, query strings and path parameters answers 422
// naming the field; bodies that are not UTF-8 answer 422 instead of being stored as U+FFFD; JSON
// under a non-JSON content type answers 415. Checked over every route of /openapi.json, so a route
// added later is covered too.
import assert from "node:assert/strict";
import { createAccount, type TestAccount } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { apiDocument, type ApiOperation, fillPath, firstProperty } from "../support/openapi.ts";

const NUL = "\u0000";
// Not UTF-8: a lone continuation byte, then a truncated two-byte sequence.
const NOT_UTF8 = new Uint8Array([
  ...new TextEncoder().encode('{"nombre":"'),
  0x80,
  0xc3,
  ...new TextEncoder().encode('"}'),
]);

let accounts: Promise<Record<string, TestAccount>> | null = null;
function byRole() {
  accounts ??= Promise.all(["CLIENTE", "PROFESIONAL", "ADMIN"].map((rol) => createAccount(rol as never)))
    .then((list) => Object.fromEntries(list.map((a) => [a.rol, a])));
  return accounts;
}

/** Headers for a call the route admits: a token of its first role, the webhook's key, an IP of its own. */
async function admitted(op: ApiOperation, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = {
    "x-forwarded-for": `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
    ...extra,
  };
  if (op.roles.length) headers.authorization = `Bearer ${(await byRole())[op.roles[0]].token}`;
  if (op.parameters.some((p) => p.in === "header" && p.name === "x-api-key")) {
    headers["x-api-key"] = testEnv().CHAT_WEBHOOK_API_KEY ?? "";
  }
  return headers;
}

const url = (op: ApiOperation, query = "") => fillPath(op.path, () => crypto.randomUUID()) + query;

async function call(
  op: ApiOperation,
  init: { headers: Record<string, string>; body?: BodyInit },
  query = "",
) {
  const response = await (await api()).fetch(url(op, query), { method: op.method, ...init });
  const text = await response.text();
  let body: { code?: string; errors?: { loc: unknown[] }[] } | string = text;
  try {
    body = JSON.parse(text);
  } catch { /* not JSON */ }
  return { status: response.status, body };
}

const describe = (op: ApiOperation) => `${op.method} ${op.path}`;

it("NUL in a JSON or form field answers 422 naming the field, on every route with such a body", async () => {
  const { operations, resolve } = await apiDocument();
  const failures: string[] = [];
  let checked = 0;
  for (const op of operations) {
    for (const type of ["application/json", "application/x-www-form-urlencoded"]) {
      const schema = op.bodies[type];
      if (!schema) continue;
      checked++;
      const field = firstProperty(schema, resolve);
      const body = type === "application/json"
        ? JSON.stringify({ [field]: `a${NUL}b` })
        : new URLSearchParams({ [field]: `a${NUL}b` }).toString();
      const res = await call(op, { headers: await admitted(op, { "content-type": type }), body });
      const loc = typeof res.body === "object" ? res.body.errors?.[0]?.loc : undefined;
      if (res.status !== 422 || JSON.stringify(loc) !== JSON.stringify(["body", field])) {
        failures.push(`${describe(op)} (${type}): ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
      }
    }
  }
  assert.ok(checked > 40, `only ${checked} bodies found in /openapi.json`);
  assert.deepEqual(failures, []);
});

it("%00 in a query parameter answers 422 naming it, on every route with query parameters", async () => {
  const { operations } = await apiDocument();
  const failures: string[] = [];
  let checked = 0;
  for (const op of operations) {
    const name = op.parameters.find((p) => p.in === "query")?.name;
    if (!name) continue;
    checked++;
    const res = await call(op, { headers: await admitted(op) }, `?${encodeURIComponent(name)}=a%00b`);
    const loc = typeof res.body === "object" ? res.body.errors?.[0]?.loc : undefined;
    if (res.status !== 422 || JSON.stringify(loc) !== JSON.stringify(["query", name])) {
      failures.push(`${describe(op)} ?${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
    }
  }
  assert.ok(checked > 10, `only ${checked} routes with query parameters`);
  assert.deepEqual(failures, []);
});

it("a body that is not UTF-8 answers 422 on every JSON route, and nothing is stored", async () => {
  const { operations } = await apiDocument();
  const failures: string[] = [];
  for (const op of operations.filter((o) => o.bodies["application/json"])) {
    const res = await call(op, {
      headers: await admitted(op, { "content-type": "application/json" }),
      body: NOT_UTF8,
    });
    if (res.status !== 422) {
      failures.push(`${describe(op)}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
    }
  }
  assert.deepEqual(failures, []);

  const { CLIENTE: client } = await byRole();
  const gateway = await api();
  const before = await gateway.json("GET", "/users/me", { token: client.token });
  const res = await gateway.fetch("/users/me", {
    method: "PUT",
    headers: { authorization: `Bearer ${client.token}`, "content-type": "application/json" },
    body: NOT_UTF8,
  });
  const body = await res.json();
  assert.equal(res.status, 422);
  assert.deepEqual(body.errors[0].loc, ["body"]);
  assert.match(body.detail, /UTF-8/);
  const after = await gateway.json("GET", "/users/me", { token: client.token });
  assert.equal(after.body.nombre, before.body.nombre);
});

it("JSON sent under a non-JSON content type answers 415 on every JSON route; auth still takes forms", async () => {
  const { operations } = await apiDocument();
  const failures: string[] = [];
  for (const op of operations.filter((o) => o.bodies["application/json"])) {
    const res = await call(op, { headers: await admitted(op, { "content-type": "text/plain" }), body: "{}" });
    if (res.status !== 415) {
      failures.push(`${describe(op)}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
    }
  }
  assert.deepEqual(failures, []);

  const gateway = await api();
  const email = `text-${crypto.randomUUID().slice(0, 12)}@example.com`;
  const register = await gateway.json("POST", "/auth/register", {
    body: { email, password: "Kx9!mWq2#Lp7", nombre: "Ana", apellido: "Paz", rol: "CLIENTE" },
    headers: { "x-forwarded-for": "198.51.100.77" },
  });
  assert.equal(register.status, 201, JSON.stringify(register.body));
  const form = await gateway.fetch("/auth/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "198.51.100.78" },
    body: new URLSearchParams({ username: email, password: "Kx9!mWq2#Lp7" }).toString(),
  });
  assert.equal(form.status, 200);
  assert.ok((await form.json()).access_token);
  const asJson = await gateway.json("POST", "/auth/login", {
    body: { email, password: "Kx9!mWq2#Lp7" },
    headers: { "x-forwarded-for": "198.51.100.79" },
  });
  assert.equal(asJson.status, 200);
});

it("NUL in a multipart field or file name answers 422 naming it; a NUL in an {id} is an unknown id (404)", async () => {
  const { CLIENTE: client } = await byRole();
  const gateway = await api();
  const form = new FormData();
  form.append("file", new File([new Uint8Array([1, 2, 3])], `foto${NUL}.png`, { type: "image/png" }));
  const avatar = await gateway.fetch("/users/me/avatar", {
    method: "POST",
    headers: { authorization: `Bearer ${client.token}` },
    body: form,
  });
  const body = await avatar.json();
  assert.equal(avatar.status, 422, JSON.stringify(body));
  assert.deepEqual(body.errors[0].loc, ["body", "file"]);

  const login = new FormData();
  login.append("username", `a${NUL}@example.com`);
  login.append("password", "x");
  const multipartLogin = await gateway.fetch("/auth/login", {
    method: "POST",
    headers: { "x-forwarded-for": "198.51.100.80" },
    body: login,
  });
  assert.equal(multipartLogin.status, 422);
  assert.deepEqual((await multipartLogin.json()).errors[0].loc, ["body", "username"]);

  const { ADMIN: admin } = await byRole();
  const id = await gateway.json("GET", "/admin/users/%00", { token: admin.token });
  assert.equal(id.status, 404);
});
