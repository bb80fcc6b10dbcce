import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { CONTACT_MESSAGE, createPro, firestoreDoc, openChat, send, strikes } from "./helpers.ts";

it("contact details are stored masked, count a strike, and the third strike bans from chat until an admin lifts it", async () => {
  const gw = await api();
  const [client, admin] = await Promise.all([createAccount("CLIENTE"), createAccount("ADMIN")]);
  const pro = await createPro();
  const chat = await openChat(gw, client.token, pro.profesionalId);

  const first = await send(gw, client.token, chat.chat_id, CONTACT_MESSAGE);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.censored, true);
  assert.ok(first.body.censor_reasons.includes("phone") && first.body.censor_reasons.includes("email"));
  assert.doesNotMatch(first.body.text, /5555|4444|juan@mail\.com/);
  assert.match(first.body.text, /^llamame al /);
  assert.deepEqual(first.body.moderation, { infracciones_chat: 1, is_chat_banned: false });
  assert.deepEqual(await strikes(client.id), { infracciones_chat: 1, is_chat_banned: false });

  const stored = await firestoreDoc(`messages/${chat.chat_id}/messages/${first.body.id}`);
  assert.equal(stored!.data.censored, true);
  assert.equal(stored!.data.text, first.body.text);
  assert.deepEqual(stored!.data.censorReasons, first.body.censor_reasons);
  const [infraction] =
    await testSql()`select * from public.chat_infracciones where message_id = ${first.body.id}`;
  assert.equal(infraction.usuario_id, client.id);
  assert.equal(infraction.chat_id, chat.chat_id);
  assert.equal(infraction.source, "masking");
  assert.equal(infraction.text_hash, createHash("sha256").update(CONTACT_MESSAGE).digest("hex"));

  assert.equal((await send(gw, client.token, chat.chat_id, "mi mail es ana@gmail.com")).status, 201);
  const third = await send(gw, client.token, chat.chat_id, "whatsapp 11 4444 5555");
  assert.equal(third.status, 201);
  assert.deepEqual(third.body.moderation, { infracciones_chat: 3, is_chat_banned: true });
  const banned =
    await testSql()`select payload from public.outbox where type = 'chat.banned' and aggregate_id = ${client.id}`;
  assert.equal(banned.length, 1);
  assert.equal(banned[0].payload.infracciones_chat, 3);

  const refused = await send(gw, client.token, chat.chat_id, "hola");
  assert.equal(refused.status, 403);
  assert.match(refused.body.detail, /chat bloqueado/);
  const other = await createPro();
  const reopen = await gw.json("POST", "/chat/create", {
    token: client.token,
    body: { profesional_id: other.profesionalId },
  });
  assert.equal(reopen.status, 403);
  assert.match(reopen.body.detail, /chat bloqueado/);
  // History stays readable.
  assert.equal((await gw.json("GET", `/chat/${chat.chat_id}/messages`, { token: client.token })).status, 200);

  const list = await gw.json("GET", `/api/v1/admin/chat/infractions?usuario_id=${client.id}`, {
    token: admin.token,
  });
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 3);
  assert.equal(list.body.items[0].usuario.is_chat_banned, true);
  assert.equal(list.body.items[0].source, "masking");
  assert.ok(!("text_hash" in list.body.items[0]));

  const unban = await gw.json("POST", `/api/v1/admin/users/${client.id}/chat-unban`, { token: admin.token });
  assert.equal(unban.status, 200, JSON.stringify(unban.body));
  assert.equal(unban.body.was_banned, true);
  assert.deepEqual(await strikes(client.id), { infracciones_chat: 0, is_chat_banned: false });
  const unbanned =
    await testSql()`select payload from public.outbox where type = 'chat.unbanned' and aggregate_id = ${client.id}`;
  assert.equal(unbanned.length, 1);
  assert.equal(unbanned[0].payload.by, admin.id);
  assert.equal((await send(gw, client.token, chat.chat_id, "hola de nuevo")).status, 201);
});

it("messages without contact details cost no strike (prices, dates, addresses)", async () => {
  const gw = await api();
  const client = await createAccount("CLIENTE");
  const pro = await createPro();
  const chat = await openChat(gw, client.token, pro.profesionalId);
  for (const text of ["Te pago $ 15.000 el 12/03", "Vivo en Av. Corrientes 1234, tengo 3 hijos"]) {
    const res = await send(gw, client.token, chat.chat_id, text);
    assert.equal(res.body.censored, false, text);
    assert.equal(res.body.text, text);
  }
  assert.deepEqual(await strikes(client.id), { infracciones_chat: 0, is_chat_banned: false });
});

it("an admin unban on a user who is not banned resets strikes and emits nothing; unknown user 404", async () => {
  const gw = await api();
  const [client, admin] = await Promise.all([createAccount("CLIENTE"), createAccount("ADMIN")]);
  await testSql()`update public.usuarios set infracciones_chat = 2 where id = ${client.id}`;
  const res = await gw.json("POST", `/admin/users/${client.id}/chat-unban`, { token: admin.token });
  assert.equal(res.status, 200);
  assert.equal(res.body.was_banned, false);
  assert.deepEqual(await strikes(client.id), { infracciones_chat: 0, is_chat_banned: false });
  const events =
    await testSql()`select 1 from public.outbox where type = 'chat.unbanned' and aggregate_id = ${client.id}`;
  assert.equal(events.length, 0);
  const missing = await gw.json("POST", `/admin/users/${crypto.randomUUID()}/chat-unban`, {
    token: admin.token,
  });
  assert.equal(missing.status, 404);
});
