import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { earlierToken, freshToken, outboxEvents } from "./helpers.ts";

/** An account registered through /auth/register, and its login through /auth/login (a form). */
async function signedUp(client: Awaited<ReturnType<typeof api>>) {
  const email = `ban-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const password = `Clave-${crypto.randomUUID()}`;
  const registered = await client.json("POST", "/api/v1/auth/register", {
    body: { email, password, nombre: "Baneable", apellido: "Cuenta", rol: "CLIENTE" },
  });
  assert.equal(registered.status, 201);
  const login = () =>
    client.fetch("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: email, password }),
    });
  return { email, registered, login };
}

it("POST /admin/users/{id}/ban deactivates the account, ends its sessions and emits user.banned", async () => {
  const admin = await createAccount("ADMIN");
  const victim = await createAccount("CLIENTE");
  const held = await earlierToken(victim);
  const client = await api();
  assert.equal((await client.json("GET", "/api/v1/users/me", { token: held })).status, 200);

  const { status, body } = await client.json("POST", `/api/v1/admin/users/${victim.id}/ban`, {
    token: admin.token,
  });
  assert.equal(status, 200);
  const mensaje = `Usuario ${victim.email} ha sido baneado exitosamente. No podrá iniciar sesión.`;
  assert.deepEqual(body, {
    user_id: victim.id,
    email: victim.email,
    is_active: false,
    mensaje,
    message: mensaje,
  });

  const refused = await client.json("GET", "/api/v1/users/me", { token: held });
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get("www-authenticate"), "Bearer");
  const read = await client.json("GET", `/api/v1/admin/users/${victim.id}`, { token: admin.token });
  assert.equal(read.body.is_active, false);
  const [event] = await outboxEvents(victim.id, "user.banned");
  assert.equal(event.producer, "users");
  assert.deepEqual(event.payload, { user_id: victim.id, email: victim.email, rol: "CLIENTE", by: admin.id });
});

it("POST /admin/users/{id}/unban reactivates the account; a new session works again", async () => {
  const admin = await createAccount("ADMIN");
  const user = await createAccount("PROFESIONAL");
  const client = await api();
  assert.equal(
    (await client.json("POST", `/admin/users/${user.id}/ban`, { token: admin.token })).status,
    200,
  );
  const { status, body } = await client.json("POST", `/api/v1/admin/users/${user.id}/unban`, {
    token: admin.token,
  });
  assert.equal(status, 200);
  const mensaje = `Usuario ${user.email} ha sido desbaneado exitosamente. Puede iniciar sesión nuevamente.`;
  assert.deepEqual(body, { user_id: user.id, email: user.email, is_active: true, mensaje, message: mensaje });
  const [row] = await testSql()`select is_active from public.usuarios where id = ${user.id}`;
  assert.equal(row.is_active, true);
  // What a new login hands out after the unban (the login itself is the auth function's).
  const me = await client.json("GET", "/api/v1/users/me", { token: await freshToken(user) });
  assert.equal(me.status, 200);
  assert.equal(me.body.is_active, true);
  assert.equal((await outboxEvents(user.id, "user.unbanned")).length, 1);
});

it("banning twice or unbanning an active account answers 400 with the state and changes nothing", async () => {
  const admin = await createAccount("ADMIN");
  const user = await createAccount("CLIENTE");
  const client = await api();
  const unban = await client.json("POST", `/api/v1/admin/users/${user.id}/unban`, { token: admin.token });
  assert.equal(unban.status, 400);
  assert.equal(unban.body.detail, `El usuario ${user.email} ya está activo (no está baneado)`);
  await client.json("POST", `/api/v1/admin/users/${user.id}/ban`, { token: admin.token });
  const again = await client.json("POST", `/api/v1/admin/users/${user.id}/ban`, { token: admin.token });
  assert.equal(again.status, 400);
  assert.equal(again.body.detail, `El usuario ${user.email} ya está baneado`);
  assert.equal((await outboxEvents(user.id, "user.banned")).length, 1);
  assert.equal((await outboxEvents(user.id, "user.unbanned")).length, 0);
});

it("an admin cannot be banned (400) and stays active", async () => {
  const admin = await createAccount("ADMIN");
  const other = await createAccount("ADMIN");
  const { status, body } = await (await api()).json("POST", `/api/v1/admin/users/${other.id}/ban`, {
    token: admin.token,
  });
  assert.equal(status, 400);
  assert.equal(body.detail, "No se puede banear a un administrador");
  const [row] = await testSql()`select is_active from public.usuarios where id = ${other.id}`;
  assert.equal(row.is_active, true);
});

it("ban and unban answer 404 for unknown or malformed ids", async () => {
  const admin = await createAccount("ADMIN");
  const client = await api();
  for (const action of ["ban", "unban"]) {
    for (const id of [crypto.randomUUID(), "abc", "1"]) {
      const response = await client.json("POST", `/api/v1/admin/users/${id}/${action}`, {
        token: admin.token,
      });
      assert.equal(response.status, 404, `${action} ${id}`);
      assert.equal(response.body.detail, "Usuario no encontrado");
    }
  }
});

it("two concurrent bans of the same account: exactly one succeeds, one event", async () => {
  const admin = await createAccount("ADMIN");
  const user = await createAccount("CLIENTE");
  const client = await api();
  const results = await Promise.all(
    [1, 2].map(() => client.json("POST", `/api/v1/admin/users/${user.id}/ban`, { token: admin.token })),
  );
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 400]);
  assert.equal((await outboxEvents(user.id, "user.banned")).length, 1);
});

it("a banned user cannot log in; once unbanned they can log in again (through /auth/login)", async () => {
  const admin = await createAccount("ADMIN");
  const client = await api();
  const { email, registered, login } = await signedUp(client);
  const before = await login();
  assert.equal(before.status, 200);
  await before.body?.cancel();

  const ban = await client.json("POST", `/api/v1/admin/users/${registered.body.id}/ban`, {
    token: admin.token,
  });
  assert.equal(ban.status, 200);
  const refused = await login();
  assert.equal(refused.status, 401);
  assert.match((await refused.json()).detail, /desactivada/);

  await client.json("POST", `/api/v1/admin/users/${registered.body.id}/unban`, { token: admin.token });
  const again = await login();
  assert.equal(again.status, 200);
  const { access_token } = await again.json();
  const me = await client.json("GET", "/api/v1/users/me", { token: access_token });
  assert.equal(me.status, 200);
  assert.equal(me.body.email, email);
  assert.equal(me.body.is_active, true);
});

it("a ban ends the account's refresh sessions too: a refresh token from before it stays dead after the unban", async () => {
  const admin = await createAccount("ADMIN");
  const client = await api();
  const { registered, login } = await signedUp(client);
  const response = await login();
  assert.equal(response.status, 200);
  const { refresh_token } = await response.json();

  const id = registered.body.id;
  assert.equal(
    (await client.json("POST", `/api/v1/admin/users/${id}/ban`, { token: admin.token })).status,
    200,
  );
  const [{ live }] = await testSql()`select count(*)::int as live from public.auth_sessions
    where user_id = ${id} and revoked_at is null`;
  assert.equal(live, 0, "every session ended in the database, not only in Redis");
  assert.equal(
    (await client.json("POST", `/api/v1/admin/users/${id}/unban`, { token: admin.token })).status,
    200,
  );
  const refreshed = await client.json("POST", "/api/v1/auth/refresh", { body: { refresh_token } });
  assert.equal(refreshed.status, 401, JSON.stringify(refreshed.body));
});
