import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { marker, USER_READ_KEYS } from "./helpers.ts";

it("GET /users/me returns the UserRead superset of the signed-in user", async () => {
  const pro = await createAccount("PROFESIONAL", { nombre: "Ana", apellido: "Gómez" });
  const { status, body } = await (await api()).json("GET", "/api/v1/users/me", { token: pro.token });
  assert.equal(status, 200);
  assert.deepEqual(Object.keys(body).sort(), USER_READ_KEYS);
  assert.equal(body.id, pro.id);
  assert.equal(body.email, pro.email);
  assert.equal(body.nombre, "Ana");
  assert.equal(body.rol, "PROFESIONAL");
  assert.equal(body.is_active, true);
  assert.equal(body.avatar_url, null);
  assert.equal(body.infracciones_chat, 0);
  assert.equal(body.is_chat_banned, false);
  assert.deepEqual([body.es_admin, body.es_profesional, body.es_cliente], [false, true, false]);
  assert.equal(body.created_at, body.fecha_creacion);
  assert.match(body.fecha_creacion, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
});

it("GET /users/me (bare path) flags an admin as es_admin", async () => {
  const admin = await createAccount("ADMIN");
  const { status, body } = await (await api()).json("GET", "/users/me", { token: admin.token });
  assert.equal(status, 200);
  assert.deepEqual([body.es_admin, body.es_profesional, body.es_cliente], [true, false, false]);
});

it("GET /users/me answers 401 with WWW-Authenticate without a token or with a bogus one", async () => {
  const client = await api();
  const none = await client.json("GET", "/api/v1/users/me");
  assert.equal(none.status, 401);
  assert.equal(none.headers.get("www-authenticate"), "Bearer");
  assert.equal(none.body.detail, "Not authenticated");
  const bogus = await client.json("GET", "/api/v1/users/me", {
    headers: { authorization: "Bearer invalid_token_12345" },
  });
  assert.equal(bogus.status, 401);
  assert.equal(bogus.body.detail, "Token inválido o expirado");
});

it("PUT /users/me changes only the names sent, ignores other keys, and reads back", async () => {
  const user = await createAccount("CLIENTE", { nombre: "Juan", apellido: "Pérez" });
  const client = await api();
  const updated = await client.json("PUT", "/api/v1/users/me", {
    token: user.token,
    body: {
      nombre: "  Juan Carlos ",
      email: "hacker@example.com",
      telefono: "123",
      direccion: "x",
      rol: "ADMIN",
    },
  });
  assert.equal(updated.status, 200);
  assert.equal(updated.body.nombre, "Juan Carlos");
  assert.equal(updated.body.apellido, "Pérez");
  assert.equal(updated.body.email, user.email);
  assert.equal(updated.body.rol, "CLIENTE");
  const nulls = await client.json("PUT", "/api/v1/users/me", {
    token: user.token,
    body: { nombre: null, apellido: "Pérez López" },
  });
  assert.equal(nulls.body.nombre, "Juan Carlos");
  const read = await client.json("GET", "/api/v1/users/me", { token: user.token });
  assert.equal(read.body.nombre, "Juan Carlos");
  assert.equal(read.body.apellido, "Pérez López");
  const [row] = await testSql()`select email, rol from public.usuarios where id = ${user.id}`;
  assert.deepEqual({ ...row }, { email: user.email, rol: "CLIENTE" });
});

it("PUT /users/me with an empty body changes nothing and returns the account", async () => {
  const user = await createAccount("CLIENTE", { nombre: "Sin", apellido: "Cambios" });
  const { status, body } = await (await api()).json("PUT", "/api/v1/users/me", {
    token: user.token,
    body: {},
  });
  assert.equal(status, 200);
  assert.equal(body.nombre, "Sin");
});

it("PUT /users/me answers 422 with a string detail for bad names and changes nothing", async () => {
  const user = await createAccount("CLIENTE", { nombre: "Original", apellido: "Apellido" });
  const client = await api();
  for (
    const body of [{ nombre: "" }, { nombre: "   " }, { apellido: "x".repeat(101) }, { nombre: 42 }, "[1,2"]
  ) {
    const response = await client.json("PUT", "/api/v1/users/me", { token: user.token, body });
    assert.equal(response.status, 422, JSON.stringify(body));
    assert.equal(typeof response.body.detail, "string");
  }
  const read = await client.json("GET", "/api/v1/users/me", { token: user.token });
  assert.equal(read.body.nombre, "Original");
  assert.equal(read.body.apellido, "Apellido");
});

it("PUT /users/me answers 401 without a token", async () => {
  const { status } = await (await api()).json("PUT", "/api/v1/users/me", { body: { nombre: "X" } });
  assert.equal(status, 401);
});

const DIRECTORY_CARD_KEYS = ["apellido", "avatar_url", "es_profesional", "id", "nombre"];

it("GET /users/search finds other active users by nombre or apellido, public card only", async () => {
  const tag = marker("Busq");
  const me = await createAccount("CLIENTE", { nombre: `${tag} Yo` });
  const byName = await createAccount("PROFESIONAL", { nombre: `${tag} Nombre` });
  const bySurname = await createAccount("CLIENTE", { apellido: `${tag}-apellido` });
  const banned = await createAccount("CLIENTE", { nombre: `${tag} Baneado` });
  await testSql()`update public.usuarios set is_active = false where id = ${banned.id}`;
  const { status, body } = await (await api()).json(
    "GET",
    `/api/v1/users/search?q=${tag.toUpperCase()}`,
    { token: me.token },
  );
  assert.equal(status, 200);
  const ids = body.map((u: { id: string }) => u.id).sort();
  assert.deepEqual(ids, [byName.id, bySurname.id].sort());
  for (const entry of body) assert.deepEqual(Object.keys(entry).sort(), DIRECTORY_CARD_KEYS);
  const pro = body.find((u: { id: string }) => u.id === byName.id);
  assert.deepEqual(pro, {
    id: byName.id,
    nombre: `${tag} Nombre`,
    apellido: "PROFESIONAL",
    avatar_url: null,
    es_profesional: true,
  });
  assert.equal(body.find((u: { id: string }) => u.id === bySurname.id).es_profesional, false);
});

it("GET /users/search matches an e-mail only exactly (any case) and never shows e-mails or roles", async () => {
  const tag = marker("mail").toLowerCase();
  const me = await createAccount("CLIENTE");
  const target = await createAccount("CLIENTE", { email: `${tag}@example.com`, nombre: "Destino" });
  const client = await api();
  const search = (q: string) =>
    client.json("GET", `/api/v1/users/search?q=${encodeURIComponent(q)}`, { token: me.token });
  for (const partial of [tag, `${tag}@example`, tag.slice(0, 2), "example.com", "@example"]) {
    const res = await search(partial);
    assert.equal(res.status, 200, partial);
    assert.equal(res.body.some((u: { id: string }) => u.id === target.id), false, partial);
    assert.equal(JSON.stringify(res.body).includes("@"), false, `no e-mail in the answer to ${partial}`);
  }
  const exact = await search(`  ${tag.toUpperCase()}@EXAMPLE.COM `);
  assert.equal(exact.status, 200);
  assert.deepEqual(exact.body, [
    { id: target.id, nombre: "Destino", apellido: "CLIENTE", avatar_url: null, es_profesional: false },
  ]);
});

it("GET /users/search never lists admins, by name or by exact e-mail", async () => {
  const tag = marker("Adm");
  const me = await createAccount("CLIENTE");
  const admin = await createAccount("ADMIN", { nombre: tag });
  const client = await api();
  const byName = await client.json("GET", `/api/v1/users/search?q=${tag}`, { token: me.token });
  assert.deepEqual(byName.body, []);
  for (const email of [admin.email, "admin@example.com"]) {
    const byEmail = await client.json("GET", `/api/v1/users/search?q=${encodeURIComponent(email)}`, {
      token: me.token,
    });
    assert.equal(byEmail.status, 200);
    assert.deepEqual(byEmail.body, [], email);
  }
  // Not even for another admin: the directory is the chat's, and nobody starts a chat with an admin.
  const other = await createAccount("ADMIN");
  const asAdmin = await client.json("GET", `/api/v1/users/search?q=${tag}`, { token: other.token });
  assert.deepEqual(asAdmin.body, []);
});

it("GET /users/search is rate-limited per user: 429 with Retry-After, other users unaffected", async () => {
  const limited = await api({ RATE_LIMIT_USER_DIRECTORY: "3/10m" });
  const me = await createAccount("CLIENTE");
  const other = await createAccount("CLIENTE");
  const search = (token: string) => limited.json("GET", "/api/v1/users/search?q=ana", { token });
  for (let i = 0; i < 3; i++) assert.equal((await search(me.token)).status, 200, `search ${i + 1}`);
  const refused = await search(me.token);
  assert.equal(refused.status, 429);
  assert.match(refused.body.detail, /^Demasiadas búsquedas\. Esperá \d+ (segundos|minutos)/);
  const retryAfter = Number(refused.headers.get("retry-after"));
  assert.ok(
    Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 600,
    `Retry-After ${retryAfter}`,
  );
  assert.equal(refused.headers.get("x-ratelimit-limit"), "3");
  assert.equal(refused.headers.get("x-ratelimit-remaining"), "0");
  assert.equal((await search(other.token)).status, 200, "another user has a window of their own");
});

it("GET /users/search returns at most 20 and treats % and _ literally", async () => {
  const tag = marker("Many");
  const me = await createAccount("CLIENTE");
  await Promise.all(Array.from({ length: 21 }, () => createAccount("CLIENTE", { nombre: tag })));
  const client = await api();
  const many = await client.json("GET", `/api/v1/users/search?q=${tag}`, { token: me.token });
  assert.equal(many.body.length, 20);
  const wildcard = await client.json("GET", "/api/v1/users/search?q=%25%25", { token: me.token });
  assert.equal(wildcard.status, 200);
  assert.deepEqual(wildcard.body, []);
});

it("GET /users/search answers 422 for a missing or one-character q and 401 without a token", async () => {
  const me = await createAccount("CLIENTE");
  const client = await api();
  assert.equal((await client.json("GET", "/api/v1/users/search", { token: me.token })).status, 422);
  const short = await client.json("GET", "/api/v1/users/search?q=a", { token: me.token });
  assert.equal(short.status, 422);
  assert.equal(typeof short.body.detail, "string");
  assert.equal((await client.json("GET", "/api/v1/users/search?q=ana")).status, 401);
});
