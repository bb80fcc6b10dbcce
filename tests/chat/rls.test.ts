// Row-level security of the chat tables (chats, chat_participantes, chat_infracciones), the
// chat_people card function and users' strike functions, as each database role.

import assert from "node:assert/strict";
import postgres from "postgres";
import { type TestAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { asAuth, fourPeople, rlsDb, rowCounter, sqlState } from "../support/rls.ts";

const db = rlsDb("chat-rls-test");

/** A chat between a new client and professional, with one infraction of the client. */
async function fixture() {
  const { client, pro, stranger, admin } = await fourPeople();
  const [chat] = await testSql()`insert into public.chats (cliente_id, profesional_id)
    values (${client.id}, ${pro.id}) returning id`;
  await testSql()`insert into public.chat_participantes (chat_id, usuario_id)
    values (${chat.id}, ${client.id}), (${chat.id}, ${pro.id})`;
  await testSql()`insert into public.chat_infracciones (usuario_id, chat_id, reasons, source)
    values (${client.id}, ${chat.id}, ${["phone"]}, 'masking')`;
  return { client, pro, stranger, admin, chatId: chat.id as string };
}

const count = rowCounter(db);

it("chats: both participants and admins see the chat; anyone else sees nothing", async () => {
  const f = await fixture();
  const q = (tx: postgres.TransactionSql) => tx`select id from public.chats where id = ${f.chatId}`;
  assert.equal(await count(f.client, q), 1);
  assert.equal(await count(f.pro, q), 1);
  assert.equal(await count(f.admin, q), 1);
  assert.equal(await count(f.stranger, q), 0);
  assert.equal(await sqlState(db.asAnon((tx) => tx`select id from public.chats`)), "42501");
});

it("chat_participantes: each participant sees only their own read state; admins see both", async () => {
  const f = await fixture();
  const q = (tx: postgres.TransactionSql) =>
    tx`select usuario_id from public.chat_participantes where chat_id = ${f.chatId}`;
  const mine = await db.asUser(asAuth(f.client), q);
  assert.deepEqual(mine.map((r) => r.usuario_id), [f.client.id]);
  assert.equal(await count(f.admin, q), 2);
  assert.equal(await count(f.stranger, q), 0);
});

it("chat_infracciones: the user sees their own, admins all, others none", async () => {
  const f = await fixture();
  const q = (tx: postgres.TransactionSql) =>
    tx`select id from public.chat_infracciones where usuario_id = ${f.client.id}`;
  assert.equal(await count(f.client, q), 1);
  assert.equal(await count(f.admin, q), 1);
  assert.equal(await count(f.pro, q), 0);
  assert.equal(await count(f.stranger, q), 0);
  assert.equal(await sqlState(db.asAnon((tx) => tx`select id from public.chat_infracciones`)), "42501");
});

it("API roles cannot write the chat tables nor call the strike functions", async () => {
  const f = await fixture();
  const me = asAuth(f.client);
  const attempts = [
    (tx: postgres.TransactionSql) =>
      tx`insert into public.chats (cliente_id, profesional_id) values (${f.client.id}, ${f.stranger.id})`,
    (tx: postgres.TransactionSql) =>
      tx`update public.chats set trabajo_id = gen_random_uuid() where id = ${f.chatId}`,
    (tx: postgres.TransactionSql) => tx`delete from public.chats where id = ${f.chatId}`,
    (tx: postgres.TransactionSql) =>
      tx`update public.chat_participantes set unread_count = 0 where usuario_id = ${f.client.id}`,
    (tx: postgres.TransactionSql) =>
      tx`delete from public.chat_infracciones where usuario_id = ${f.client.id}`,
    (tx: postgres.TransactionSql) =>
      tx`insert into public.chat_infracciones (usuario_id, source) values (${f.stranger.id}, 'webhook')`,
    (tx: postgres.TransactionSql) =>
      tx`select * from public.record_chat_infraction(${f.stranger.id}::uuid, 3)`,
    (tx: postgres.TransactionSql) =>
      tx`select * from public.lift_chat_ban(${f.client.id}::uuid, ${f.client.id}::uuid)`,
  ];
  for (const attempt of attempts) {
    assert.equal(await sqlState(db.asUser(me, attempt)), "42501", attempt.toString());
    assert.equal(await sqlState(db.asUser(asAuth(f.admin), attempt)), "42501", `admin: ${attempt}`);
  }
  const [row] = await testSql()`select infracciones_chat from public.usuarios where id = ${f.stranger.id}`;
  assert.equal(row.infracciones_chat, 0);
});

it("chat_people shows the public card of people I share a chat with, and nobody else", async () => {
  const f = await fixture();
  const ids = [f.client.id, f.pro.id, f.stranger.id];
  const seen = (account: TestAccount) =>
    db.asUser(asAuth(account), (tx) => tx`select id from public.chat_people(${ids}::uuid[]) order by id`)
      .then((rows) => rows.map((r) => r.id).sort());
  assert.deepEqual(await seen(f.client), [f.client.id, f.pro.id].sort());
  assert.deepEqual(await seen(f.pro), [f.client.id, f.pro.id].sort());
  assert.deepEqual(await seen(f.stranger), [f.stranger.id]);
  assert.deepEqual(await seen(f.admin), [...ids].sort());
  const [card] = await db.asUser(
    asAuth(f.client),
    (tx) => tx`select * from public.chat_people(${[f.pro.id]}::uuid[])`,
  );
  assert.deepEqual(Object.keys(card).sort(), ["apellido", "avatar_url", "id", "nombre", "rol"]);
  assert.equal(
    await sqlState(db.asAnon((tx) => tx`select * from public.chat_people(${ids}::uuid[])`)),
    "42501",
  );
});
