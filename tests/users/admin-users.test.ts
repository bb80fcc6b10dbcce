import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { marker, USER_READ_KEYS } from "./helpers.ts";

const SEARCH_RESULT_KEYS = [
  "apellido",
  "avatar_url",
  "created_at",
  "email",
  "fecha_creacion",
  "id",
  "is_active",
  "nombre",
  "rol",
];

it("GET /admin/users pages every account newest first in the original's shape", async () => {
  const admin = await createAccount("ADMIN");
  const tag = marker("Lista");
  const older = await createAccount("CLIENTE", { nombre: tag });
  const newer = await createAccount("PROFESIONAL", { apellido: tag });
  const client = await api();
  const { status, body } = await client.json("GET", `/api/v1/admin/users?q=${tag}&page=1&limit=1`, {
    token: admin.token,
  });
  assert.equal(status, 200);
  assert.deepEqual(Object.keys(body).sort(), ["limit", "page", "total", "totalPages", "users"]);
  assert.deepEqual([body.total, body.page, body.limit, body.totalPages], [2, 1, 1, 2]);
  assert.deepEqual(Object.keys(body.users[0]).sort(), SEARCH_RESULT_KEYS);
  assert.equal(body.users[0].id, newer.id);
  const second = await client.json("GET", `/api/v1/admin/users?search=${tag}&page=2&limit=1`, {
    token: admin.token,
  });
  assert.equal(second.body.users[0].id, older.id);
  const all = await client.json("GET", "/admin/users", { token: admin.token });
  assert.equal(all.body.limit, 10);
  assert.ok(all.body.total >= 3);
});

it("GET /admin/users filters by rol and is_active", async () => {
  const admin = await createAccount("ADMIN");
  const tag = marker("Filtro");
  const cliente = await createAccount("CLIENTE", { nombre: tag });
  const pro = await createAccount("PROFESIONAL", { nombre: tag });
  const banned = await createAccount("CLIENTE", { nombre: tag });
  await testSql()`update public.usuarios set is_active = false where id = ${banned.id}`;
  const client = await api();
  const ids = async (query: string) =>
    (await client.json("GET", `/api/v1/admin/users?q=${tag}&${query}`, { token: admin.token })).body.users
      .map((u: { id: string }) => u.id).sort();
  assert.deepEqual(await ids("rol=PROFESIONAL"), [pro.id]);
  assert.deepEqual(await ids("rol=CLIENTE"), [cliente.id, banned.id].sort());
  assert.deepEqual(await ids("is_active=false"), [banned.id]);
  assert.deepEqual(await ids("rol=CLIENTE&is_active=true"), [cliente.id]);
});

it("GET /admin/users clamps page and limit like the original and reports one page when empty", async () => {
  const admin = await createAccount("ADMIN");
  const client = await api();
  const get = (query: string) => client.json("GET", `/api/v1/admin/users?${query}`, { token: admin.token });
  const clamped = await get("page=0&limit=0");
  assert.deepEqual([clamped.body.page, clamped.body.limit], [1, 10]);
  assert.equal((await get("limit=1000")).body.limit, 100);
  const none = await get(`q=${marker("Nadie")}`);
  assert.deepEqual([none.body.users, none.body.total, none.body.totalPages], [[], 0, 1]);
});

it("GET /admin/users answers 422 for non-integer paging and unknown filters", async () => {
  const admin = await createAccount("ADMIN");
  const client = await api();
  // page=10^18: its offset is past bigint's range (SQLSTATE 22003), a 422 like any bad number.
  for (
    const query of ["page=abc", "limit=1.5", "rol=SUPERUSER", "is_active=maybe", "page=1000000000000000000"]
  ) {
    const response = await client.json("GET", `/api/v1/admin/users?${query}`, { token: admin.token });
    assert.equal(response.status, 422, query);
    assert.equal(typeof response.body.detail, "string");
  }
});

it("GET /admin/users/search finds e-mails containing the term, case-insensitively", async () => {
  const admin = await createAccount("ADMIN");
  const tag = marker("mail").toLowerCase();
  const found = await createAccount("CLIENTE", { email: `${tag}@example.com` });
  const { status, body } = await (await api()).json(
    "GET",
    `/api/v1/admin/users/search?email=${tag.toUpperCase()}`,
    { token: admin.token },
  );
  assert.equal(status, 200);
  assert.deepEqual(body.map((u: { id: string }) => u.id), [found.id]);
  assert.deepEqual(Object.keys(body[0]).sort(), SEARCH_RESULT_KEYS);
});

it("GET /admin/users/search answers 400 under two characters and 422 without the term", async () => {
  const admin = await createAccount("ADMIN");
  const client = await api();
  const short = await client.json("GET", "/api/v1/admin/users/search?email=a", { token: admin.token });
  assert.equal(short.status, 400);
  assert.equal(short.body.detail, "El término de búsqueda debe tener al menos 2 caracteres");
  const missing = await client.json("GET", "/api/v1/admin/users/search", { token: admin.token });
  assert.equal(missing.status, 422);
});

it("GET /admin/users/search returns at most 50", async () => {
  const admin = await createAccount("ADMIN");
  const tag = marker("cincuenta").toLowerCase();
  await Promise.all(
    Array.from({ length: 51 }, (_, i) => createAccount("CLIENTE", { email: `${tag}-${i}@example.com` })),
  );
  const { body } = await (await api()).json("GET", `/api/v1/admin/users/search?email=${tag}`, {
    token: admin.token,
  });
  assert.equal(body.length, 50);
});

it("GET /admin/users/{id} returns the account as UserRead; unknown or malformed ids 404", async () => {
  const admin = await createAccount("ADMIN");
  const user = await createAccount("PROFESIONAL");
  const client = await api();
  const { status, body } = await client.json("GET", `/api/v1/admin/users/${user.id}`, { token: admin.token });
  assert.equal(status, 200);
  assert.deepEqual(Object.keys(body).sort(), USER_READ_KEYS);
  assert.equal(body.email, user.email);
  for (const id of [crypto.randomUUID(), "abc", "1"]) {
    const missing = await client.json("GET", `/api/v1/admin/users/${id}`, { token: admin.token });
    assert.equal(missing.status, 404, id);
    assert.equal(missing.body.detail, "Usuario no encontrado");
  }
});
