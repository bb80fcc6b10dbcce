import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { settledViolations } from "../support/invariants.ts";
import { startFirestoreFault } from "../reliability/firestore-down.ts";
import { CONTACT_MESSAGE, createPro, strikes } from "./helpers.ts";

// A Firestore of its own, with a fault switch, and a functions host process pointed at it: the
// run's stand-in is shared by test files running in parallel, which the faults must not reach.
const firestore = await startFirestoreFault();
globalThis.addEventListener("unload", () => void firestore.stop());
const fault = (unavailable: boolean) => firestore.fault(unavailable);
const gateway = () => Promise.resolve(firestore.gateway);

it("Firestore down: opening a chat and sending a message answer 503 and leave nothing in Postgres", async () => {
  const gw = await gateway();
  const client = await createAccount("CLIENTE");
  const pro = await createPro();

  await fault(true);
  const started = performance.now();
  const open = await gw.json("POST", "/chat/create", {
    token: client.token,
    body: { profesional_id: pro.profesionalId },
  });
  assert.equal(open.status, 503, JSON.stringify(open.body));
  assert.ok(performance.now() - started < 4000, "answered within the deadline");
  const rows = await testSql()`select 1 from public.chats where cliente_id = ${client.id}`;
  assert.equal(rows.length, 0);
  const events =
    await testSql()`select 1 from public.outbox where type = 'chat.created' and payload->>'cliente_id' = ${client.id}`;
  assert.equal(events.length, 0);

  await fault(false);
  const opened = await gw.json("POST", "/chat/create", {
    token: client.token,
    body: { profesional_id: pro.profesionalId },
  });
  assert.equal(opened.status, 201);
  const chatId = opened.body.chat_id;

  await fault(true);
  const sent = await gw.json("POST", `/chat/${chatId}/messages`, {
    token: client.token,
    body: { text: CONTACT_MESSAGE },
  });
  assert.equal(sent.status, 503);
  assert.deepEqual(await strikes(client.id), { infracciones_chat: 0, is_chat_banned: false });
  assert.equal(
    (await testSql()`select 1 from public.chat_infracciones where usuario_id = ${client.id}`).length,
    0,
  );
  const [chat] = await testSql()`select last_message_at from public.chats where id = ${chatId}`;
  assert.equal(chat.last_message_at, null);
  const messageEvents = await testSql()`select 1 from public.outbox
    where type = 'chat.message_sent' and aggregate_id = ${chatId}`;
  assert.equal(messageEvents.length, 0, "no event for a message that does not exist");
  const [state] = await testSql()`select unread_count from public.chat_participantes
    where chat_id = ${chatId} and usuario_id = ${pro.id}`;
  assert.equal(state.unread_count, 0);
  assert.equal((await gw.json("GET", `/chat/${chatId}/messages`, { token: client.token })).status, 503);
  await fault(false);
  assert.equal(
    (await gw.json("POST", `/chat/${chatId}/messages`, { token: client.token, body: { text: "hola" } }))
      .status,
    201,
  );
  // After recovery: the chat's events reached their subscribers, nothing else is off.
  assert.deepEqual(await settledViolations(testSql(), { refs: [client.id, pro.id, chatId] }), []);
});
