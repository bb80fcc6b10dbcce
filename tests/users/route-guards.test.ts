// Every route of the users function: no token → 401, a bad token → 401, wrong role → 403 —
// before any validation, so even a malformed body or id gets the auth answer first.

import assert from "node:assert/strict";
import { createAccount } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { signTestToken } from "../support/tokens.ts";

const anyUser = [
  ["GET", "/users/me"],
  ["PUT", "/users/me"],
  ["GET", "/users/search?q=ab"],
  ["POST", "/users/me/avatar"],
] as const;

const adminOnly = [
  ["GET", "/admin/users"],
  ["GET", "/admin/users/search?email=ab"],
  ["GET", `/admin/users/${crypto.randomUUID()}`],
  ["POST", `/admin/users/${crypto.randomUUID()}/ban`],
  ["POST", `/admin/users/abc/unban`],
  ["PUT", `/admin/users/${crypto.randomUUID()}/role`],
  ["GET", "/admin/metrics/users"],
] as const;

it("every users route answers 401 without a token, with garbage and with a foreign-signed token", async () => {
  const client = await api();
  const expired = await signTestToken({ sub: crypto.randomUUID() }, { expiresIn: "-1m" });
  const foreign = await signTestToken({ sub: crypto.randomUUID() }, { issuer: "someone-else" });
  for (const [method, path] of [...anyUser, ...adminOnly]) {
    for (const token of [undefined, "invalid_token_12345", expired, foreign]) {
      const body = method === "GET" ? undefined : { x: 1 };
      const response = await client.json(method, `/api/v1${path}`, { token, body });
      assert.equal(response.status, 401, `${method} ${path} ${token?.slice(0, 10)}`);
      assert.equal(response.headers.get("www-authenticate"), "Bearer");
    }
  }
});

it("every admin users route answers 403 to a CLIENTE and a PROFESIONAL, even with a bad body", async () => {
  const client = await api();
  for (const account of [await createAccount("CLIENTE"), await createAccount("PROFESIONAL")]) {
    for (const [method, path] of adminOnly) {
      const body = method === "GET" ? undefined : "{";
      const response = await client.json(method, `/api/v1${path}`, { token: account.token, body });
      assert.equal(response.status, 403, `${account.rol} ${method} ${path}`);
      assert.equal(response.body.detail, "Acceso denegado. Se requiere rol de Administrador");
    }
  }
});
