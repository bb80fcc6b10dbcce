import assert from "node:assert/strict";
import { createAccount } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { signTestToken } from "../support/tokens.ts";
import { seedNotifications, UNKNOWN_ID } from "./support.ts";

it("GET /notifications lists my notifications newest first, paginated as {items,total,page,limit,pages}", async () => {
  const user = await createAccount("CLIENTE");
  const ids = await seedNotifications(user.id, 25);
  const { status, body } = await (await api()).json("GET", "/notifications?page=2&limit=10", {
    token: user.token,
  });
  assert.equal(status, 200);
  assert.deepEqual({ total: body.total, page: body.page, limit: body.limit, pages: body.pages }, {
    total: 25,
    page: 2,
    limit: 10,
    pages: 3,
  });
  assert.deepEqual(body.items.map((n: { id: string }) => n.id), ids.slice(5, 15).reverse());
  const [first] = body.items;
  assert.equal(first.usuario_id, user.id);
  assert.equal(first.leida, false);
  assert.equal(first.fecha_creacion, first.created_at);
  assert.deepEqual(first.metadata, first.data);
  for (const key of ["tipo", "categoria", "titulo", "mensaje", "fecha_lectura"]) assert.ok(key in first, key);
});

it("GET /notifications?unread=true (or solo_no_leidas) lists only unread ones; tipo filters by type", async () => {
  const user = await createAccount("CLIENTE");
  await seedNotifications(user.id, 3, { leida: true });
  const unread = await seedNotifications(user.id, 2, { tipo: "OFERTA_RECIBIDA" });
  const client = await api();
  for (const query of ["unread=true", "solo_no_leidas=true", "unread=1"]) {
    const { body } = await client.json("GET", `/api/v1/notifications?${query}`, { token: user.token });
    assert.equal(body.total, 2, query);
    assert.deepEqual(body.items.map((n: { id: string }) => n.id).sort(), [...unread].sort());
  }
  const { body: all } = await client.json("GET", "/notifications?unread=false", { token: user.token });
  assert.equal(all.total, 5);
  const { body: byType } = await client.json("GET", "/notifications?tipo=OFERTA_RECIBIDA", {
    token: user.token,
  });
  assert.equal(byType.total, 2);
});

it("another person's notifications are invisible: not listed, and 404 by id", async () => {
  const [owner, other] = [await createAccount("CLIENTE"), await createAccount("PROFESIONAL")];
  const [id] = await seedNotifications(owner.id, 1);
  const client = await api();
  const { body } = await client.json("GET", "/notifications", { token: other.token });
  assert.equal(body.total, 0);
  for (
    const [method, path] of [["GET", `/notifications/${id}`], ["PUT", `/notifications/${id}/read`], [
      "DELETE",
      `/notifications/${id}`,
    ]]
  ) {
    const response = await client.json(method, path, { token: other.token });
    assert.equal(response.status, 404, `${method} ${path}`);
    assert.equal(response.body.detail, "Notificación no encontrada");
  }
  const mine = await client.json("GET", `/notifications/${id}`, { token: owner.token });
  assert.equal(mine.body.leida, false, "the other person's attempts changed nothing");
});

it("GET /notifications/unread-count counts my unread notifications only", async () => {
  const [user, other] = [await createAccount("CLIENTE"), await createAccount("CLIENTE")];
  await seedNotifications(user.id, 4);
  await seedNotifications(user.id, 2, { leida: true });
  await seedNotifications(other.id, 7);
  const { status, body } = await (await api()).json("GET", "/notifications/unread-count", {
    token: user.token,
  });
  assert.equal(status, 200);
  assert.deepEqual(body, { count: 4 });
});

it("PUT /notifications/:id/read marks it read once (the reading time stays) and reads back", async () => {
  const user = await createAccount("CLIENTE");
  const [id] = await seedNotifications(user.id, 1);
  const client = await api();
  const first = await client.json("PUT", `/notifications/${id}/read`, { token: user.token });
  assert.equal(first.status, 200);
  assert.equal(first.body.leida, true);
  assert.ok(first.body.fecha_lectura);
  const again = await client.json("PUT", `/notifications/${id}/read`, { token: user.token });
  assert.equal(again.body.fecha_lectura, first.body.fecha_lectura);
  const read = await client.json("GET", `/notifications/${id}`, { token: user.token });
  assert.equal(read.body.leida, true);
  const count = await client.json("GET", "/notifications/unread-count", { token: user.token });
  assert.equal(count.body.count, 0);
});

it("PUT /notifications/read-all marks all of mine read, and nobody else's", async () => {
  const [user, other] = [await createAccount("CLIENTE"), await createAccount("CLIENTE")];
  await seedNotifications(user.id, 3);
  await seedNotifications(other.id, 2);
  const client = await api();
  const { status, body } = await client.json("PUT", "/notifications/read-all", { token: user.token });
  assert.equal(status, 200);
  assert.deepEqual(body, { updated: 3 });
  assert.equal(
    (await client.json("GET", "/notifications/unread-count", { token: user.token })).body.count,
    0,
  );
  assert.equal(
    (await client.json("GET", "/notifications/unread-count", { token: other.token })).body.count,
    2,
  );
});

it("DELETE /notifications/:id deletes it (204); afterwards it is 404", async () => {
  const user = await createAccount("CLIENTE");
  const [id, keep] = await seedNotifications(user.id, 2);
  const client = await api();
  const response = await client.fetch(`/notifications/${id}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${user.token}` },
  });
  assert.equal(response.status, 204);
  await response.body?.cancel();
  assert.equal((await client.json("GET", `/notifications/${id}`, { token: user.token })).status, 404);
  assert.equal((await client.json("DELETE", `/notifications/${id}`, { token: user.token })).status, 404);
  assert.equal((await client.json("GET", `/notifications/${keep}`, { token: user.token })).status, 200);
});

it("unknown or malformed notification ids answer 404, never 500", async () => {
  const user = await createAccount("CLIENTE");
  const client = await api();
  for (const id of [UNKNOWN_ID, "abc", "1", "00000000-0000-0000-0000-00000000000z"]) {
    for (
      const [method, path] of [["GET", `/notifications/${id}`], ["PUT", `/notifications/${id}/read`], [
        "DELETE",
        `/notifications/${id}`,
      ]]
    ) {
      const { status } = await client.json(method, path, { token: user.token });
      assert.equal(status, 404, `${method} ${path}`);
    }
  }
});

it("bad list parameters answer 422 with a readable detail", async () => {
  const user = await createAccount("CLIENTE");
  const client = await api();
  for (const query of ["page=0", "limit=101", "limit=abc", "unread=maybe", "tipo=oferta"]) {
    const { status, body } = await client.json("GET", `/notifications?${query}`, { token: user.token });
    assert.equal(status, 422, query);
    assert.equal(typeof body.detail, "string");
  }
});

it("every notification-center route answers 401 without a token or with a bad one", async () => {
  const client = await api();
  const expired = await signTestToken({ sub: crypto.randomUUID() }, { expiresIn: "-1m" });
  const routes = [
    ["GET", "/notifications"],
    ["GET", "/notifications/unread-count"],
    ["PUT", "/notifications/read-all"],
    ["GET", `/notifications/${UNKNOWN_ID}`],
    ["PUT", `/notifications/${UNKNOWN_ID}/read`],
    ["DELETE", `/notifications/${UNKNOWN_ID}`],
    ["GET", "/notifications/preferences"],
    ["PUT", "/notifications/preferences"],
    ["POST", "/notifications/fcm-token"],
    ["DELETE", "/notifications/fcm-token"],
    ["GET", "/admin/events/outbox"],
    ["POST", `/admin/events/outbox/${UNKNOWN_ID}/retry`],
  ];
  for (const [method, path] of routes) {
    for (const token of [undefined, expired, "not-a-jwt"]) {
      const { status, headers } = await client.json(method, path, {
        token,
        body: method === "GET" ? undefined : {},
      });
      assert.equal(status, 401, `${method} ${path} ${token ? "bad token" : "no token"}`);
      assert.equal(headers.get("www-authenticate"), "Bearer");
    }
  }
});
