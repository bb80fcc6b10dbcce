import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";

async function tokensOf(userId: string) {
  const rows =
    await testSql()`select token, platform from public.device_tokens where usuario_id = ${userId} order by token`;
  return rows.map((r) => ({ token: r.token, platform: r.platform }));
}
const fcmToken = () => `fcm:${crypto.randomUUID()}-APA91b${"x".repeat(40)}`;

it("POST /notifications/fcm-token registers the device as the frontend sends it ({userId, fcmToken, platform})", async () => {
  const user = await createAccount("CLIENTE");
  const token = fcmToken();
  const { status, body } = await (await api()).json("POST", "/api/v1/notifications/fcm-token", {
    token: user.token,
    body: { userId: "ignored-the-token-says-who", fcmToken: token, platform: "web" },
  });
  assert.equal(status, 200);
  assert.deepEqual(body, { message: "Token FCM guardado correctamente", success: true });
  assert.deepEqual(await tokensOf(user.id), [{ token, platform: "web" }]);
});

it("registering the same token again is idempotent; {token, device_type} is accepted too", async () => {
  const user = await createAccount("CLIENTE");
  const token = fcmToken();
  const client = await api();
  await client.json("POST", "/notifications/fcm-token", { token: user.token, body: { fcmToken: token } });
  await client.json("POST", "/notifications/fcm-token", {
    token: user.token,
    body: { token, device_type: "android" },
  });
  assert.deepEqual(await tokensOf(user.id), [{ token, platform: "android" }]);
});

it("a device token registered by another account moves to whoever registered it last", async () => {
  const [first, second] = [await createAccount("CLIENTE"), await createAccount("PROFESIONAL")];
  const token = fcmToken();
  const client = await api();
  await client.json("POST", "/notifications/fcm-token", { token: first.token, body: { fcmToken: token } });
  await client.json("POST", "/notifications/fcm-token", { token: second.token, body: { fcmToken: token } });
  assert.deepEqual(await tokensOf(first.id), []);
  assert.deepEqual(await tokensOf(second.id), [{ token, platform: "web" }]);
});

it("POST /notifications/fcm-token without a token or with a bad one answers 422 and stores nothing", async () => {
  const user = await createAccount("CLIENTE");
  const client = await api();
  for (
    const body of [{}, { fcmToken: "" }, { fcmToken: "has spaces" }, { fcmToken: "x".repeat(1025) }, {
      fcmToken: "t",
      platform: "windows",
    }, "nope"]
  ) {
    const response = await client.json("POST", "/notifications/fcm-token", { token: user.token, body });
    assert.equal(response.status, 422, JSON.stringify(body));
  }
  assert.deepEqual(await tokensOf(user.id), []);
});

it("DELETE /notifications/fcm-token removes that device; without a body, every device of mine", async () => {
  const user = await createAccount("CLIENTE");
  const [a, b, c] = [fcmToken(), fcmToken(), fcmToken()];
  const client = await api();
  for (const t of [a, b, c]) {
    await client.json("POST", "/notifications/fcm-token", { token: user.token, body: { fcmToken: t } });
  }
  const one = await client.json("DELETE", "/notifications/fcm-token", {
    token: user.token,
    body: { fcmToken: a },
  });
  assert.equal(one.status, 200);
  assert.deepEqual(one.body, { message: "Token FCM eliminado", success: true });
  assert.deepEqual((await tokensOf(user.id)).map((t) => t.token), [b, c].sort());
  const all = await client.json("DELETE", "/notifications/fcm-token", { token: user.token });
  assert.equal(all.status, 200);
  assert.deepEqual(await tokensOf(user.id), []);
});

it("DELETE /notifications/fcm-token of a token that is not mine answers 404 and leaves it in place", async () => {
  const [owner, other] = [await createAccount("CLIENTE"), await createAccount("CLIENTE")];
  const token = fcmToken();
  const client = await api();
  await client.json("POST", "/notifications/fcm-token", { token: owner.token, body: { fcmToken: token } });
  const response = await client.json("DELETE", "/notifications/fcm-token", {
    token: other.token,
    body: { fcmToken: token },
  });
  assert.equal(response.status, 404);
  assert.equal(response.body.detail, "Token FCM no encontrado");
  assert.deepEqual((await tokensOf(owner.id)).map((t) => t.token), [token]);
  const bad = await client.json("DELETE", "/notifications/fcm-token", { token: other.token, body: "{oops" });
  assert.equal(bad.status, 422);
});
