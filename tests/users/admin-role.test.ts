import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { createPro, createTrade, isolatedPoint } from "../professionals/helpers.ts";
import { earlierToken, freshToken, outboxEvents } from "./helpers.ts";

it("PUT /admin/users/{id}/role promotes a client to PROFESIONAL with a profile and ends their sessions", async () => {
  const admin = await createAccount("ADMIN");
  const user = await createAccount("CLIENTE");
  const held = await earlierToken(user);
  const client = await api();
  const { status, body } = await client.json("PUT", `/api/v1/admin/users/${user.id}/role`, {
    token: admin.token,
    body: { rol: "PROFESIONAL" },
  });
  assert.equal(status, 200);
  assert.equal(body.rol, "PROFESIONAL");
  assert.equal(body.es_profesional, true);
  assert.equal(body.message, `El rol de ${user.email} ahora es PROFESIONAL`);
  const profiles =
    await testSql()`select estado_verificacion from public.profesionales where usuario_id = ${user.id}`;
  assert.equal(profiles.length, 1);
  assert.equal(profiles[0].estado_verificacion, "PENDIENTE");
  assert.equal((await client.json("GET", "/api/v1/users/me", { token: held })).status, 401);
  const me = await client.json("GET", "/api/v1/users/me", { token: await freshToken(user, "PROFESIONAL") });
  assert.equal(me.body.rol, "PROFESIONAL");
  const [event] = await outboxEvents(user.id, "user.role_changed");
  assert.deepEqual(event.payload, {
    user_id: user.id,
    email: user.email,
    from: "CLIENTE",
    to: "PROFESIONAL",
    by: admin.id,
  });
});

it("PUT /admin/users/{id}/role promotes to ADMIN and demotes an admin while another is active", async () => {
  const admin = await createAccount("ADMIN");
  const user = await createAccount("CLIENTE");
  const client = await api();
  const promoted = await client.json("PUT", `/api/v1/admin/users/${user.id}/role`, {
    token: admin.token,
    body: { rol: "ADMIN" },
  });
  assert.equal(promoted.body.es_admin, true);
  const newAdminToken = await freshToken(user, "ADMIN");
  const demoted = await client.json("PUT", `/admin/users/${admin.id}/role`, {
    token: newAdminToken,
    body: { rol: "CLIENTE" },
  });
  assert.equal(demoted.status, 200);
  assert.equal(demoted.body.rol, "CLIENTE");
});

it("PUT /admin/users/{id}/role: a demoted professional leaves search and the public profile; promoted back, returns", async () => {
  const admin = await createAccount("ADMIN");
  const trade = await createTrade();
  const p = isolatedPoint();
  const pro = await createPro({ at: p, trades: [trade.id] });
  const client = await api();
  const listed = async () => {
    const search = await client.json(
      "GET",
      `/api/v1/search/professionals?oficio_id=${trade.id}&lat=${p.lat}&lng=${p.lng}`,
    );
    const profile = await client.json("GET", `/api/v1/public/professional/${pro.profesionalId}`);
    assert.equal(search.status, 200);
    const found = (search.body as { id: string }[]).some((item) => item.id === pro.profesionalId);
    assert.equal(profile.status, found ? 200 : 404);
    return found;
  };
  const setRole = async (rol: string) => {
    const res = await client.json("PUT", `/api/v1/admin/users/${pro.id}/role`, {
      token: admin.token,
      body: { rol },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  assert.equal(await listed(), true);
  await setRole("CLIENTE");
  assert.equal(await listed(), false);
  await setRole("PROFESIONAL");
  assert.equal(await listed(), true);
  await setRole("ADMIN");
  assert.equal(await listed(), false);
});

it("PUT /admin/users/{id}/role to the current role answers 400", async () => {
  const admin = await createAccount("ADMIN");
  const user = await createAccount("PROFESIONAL");
  const { status, body } = await (await api()).json("PUT", `/api/v1/admin/users/${user.id}/role`, {
    token: admin.token,
    body: { rol: "PROFESIONAL" },
  });
  assert.equal(status, 400);
  assert.equal(body.detail, `El usuario ${user.email} ya tiene el rol PROFESIONAL`);
});

it("PUT /admin/users/{id}/role answers 422 for a missing or unknown rol and changes nothing", async () => {
  const admin = await createAccount("ADMIN");
  const user = await createAccount("CLIENTE");
  const client = await api();
  for (const body of [{}, { rol: "SUPERADMIN" }, { rol: "admin" }, "{"]) {
    const response = await client.json("PUT", `/api/v1/admin/users/${user.id}/role`, {
      token: admin.token,
      body,
    });
    assert.equal(response.status, 422, JSON.stringify(body));
  }
  const [row] = await testSql()`select rol from public.usuarios where id = ${user.id}`;
  assert.equal(row.rol, "CLIENTE");
});

it("PUT /admin/users/{id}/role answers 404 for unknown or malformed ids", async () => {
  const admin = await createAccount("ADMIN");
  const client = await api();
  for (const id of [crypto.randomUUID(), "abc"]) {
    const response = await client.json("PUT", `/api/v1/admin/users/${id}/role`, {
      token: admin.token,
      body: { rol: "CLIENTE" },
    });
    assert.equal(response.status, 404, id);
  }
});
