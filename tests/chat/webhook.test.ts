import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { strikes, webhookKey } from "./helpers.ts";

const PATH = "/api/v1/webhook/chat/infraction";
const infractions = async (userId: string) =>
  (await testSql()`select reasons, source, text_hash from public.chat_infracciones where usuario_id = ${userId}`)
    .map((r) => ({ ...r }));

it("the infraction webhook with the right key counts a strike; the third bans", async () => {
  const gw = await api();
  const user = await createAccount("CLIENTE");
  const call = () =>
    gw.json("POST", PATH, {
      headers: { "x-api-key": webhookKey() },
      body: { user_id: user.id, reason: "phone:true, email:false, social:true" },
    });
  const first = await call();
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(first.body, {
    user_id: user.id,
    infracciones_chat: 1,
    is_chat_banned: false,
    message: "Infracción registrada. Total: 1",
    mensaje: "Infracción registrada. Total: 1",
  });
  assert.deepEqual(await infractions(user.id), [{
    reasons: ["phone", "social"],
    source: "webhook",
    text_hash: null,
  }]);
  await call();
  const third = await call();
  assert.equal(third.body.is_chat_banned, true);
  assert.equal(third.body.message, "Usuario baneado del chat después de 3 infracciones");
  const fourth = await call();
  assert.equal(fourth.body.infracciones_chat, 4);
  assert.equal(fourth.body.message, "Infracción registrada. Total: 4");
  const bans =
    await testSql()`select 1 from public.outbox where type = 'chat.banned' and aggregate_id = ${user.id}`;
  assert.equal(bans.length, 1);
});

it("a wrong or missing key is 401 and counts nothing, before the body is validated", async () => {
  const gw = await api();
  const user = await createAccount("CLIENTE");
  const attempts: Record<string, string>[] = [
    { "x-api-key": "wrong-key-wrong-key-wrong" },
    {},
    { "x-api-key": `${webhookKey()}x` },
  ];
  for (const headers of attempts) {
    const res = await gw.json("POST", PATH, { headers, body: { user_id: user.id, reason: "phone:true" } });
    assert.equal(res.status, 401, JSON.stringify(headers));
    assert.match(res.body.detail, /Invalid API Key/);
  }
  const invalid = await gw.json("POST", PATH, { headers: { "x-api-key": "nope" }, body: { user_id: "x" } });
  assert.equal(invalid.status, 401);
  assert.deepEqual(await strikes(user.id), { infracciones_chat: 0, is_chat_banned: false });
  assert.deepEqual(await infractions(user.id), []);
});

it("the webhook answers 404 for an unknown user and 422 for a malformed body", async () => {
  const gw = await api();
  const ghost = crypto.randomUUID();
  const res = await gw.json("POST", PATH, {
    headers: { "x-api-key": webhookKey() },
    body: { user_id: ghost },
  });
  assert.equal(res.status, 404);
  assert.equal(res.body.detail, `Usuario ${ghost} no encontrado`);
  assert.deepEqual(await infractions(ghost), []);
  const bad = await gw.json("POST", PATH, {
    headers: { "x-api-key": webhookKey() },
    body: { user_id: "abc" },
  });
  assert.equal(bad.status, 422);
});
