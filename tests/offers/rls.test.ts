// Row-level security of ofertas, trabajos and trabajo_eventos, the marketplace_people card function
// and the jobs' SQL interface for payments, as each database role.

import assert from "node:assert/strict";
import postgres from "postgres";
import type { AuthUser, Rol } from "../../shared/auth.ts";
import { createDb } from "../../shared/db.ts";
import { createAccount, type TestAccount, testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";

const db = createDb(testEnv().DATABASE_URL, { max: 2, appName: "offers-rls-test" });

function asAuth(account: TestAccount): AuthUser {
  return { id: account.id, rol: account.rol as Rol, email: account.email, sessionId: null, issuedAt: 0 };
}

async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof postgres.PostgresError) return error.code;
    throw error;
  }
  return undefined;
}

/** A chat, an accepted offer and its job with one timeline row, straight in SQL. */
async function fixture() {
  const [client, pro, stranger, admin] = await Promise.all([
    createAccount("CLIENTE"),
    createAccount("PROFESIONAL"),
    createAccount("CLIENTE"),
    createAccount("ADMIN"),
  ]);
  const sql = testSql();
  const [chat] = await sql`insert into public.chats (cliente_id, profesional_id)
    values (${client.id}, ${pro.id}) returning id`;
  const [offer] =
    await sql`insert into public.ofertas (chat_id, profesional_id, cliente_id, descripcion, precio_final,
      estado, fecha_expiracion, fecha_respuesta)
    values (${chat.id}, ${pro.id}, ${client.id}, 'Una oferta de prueba', 100, 'ACEPTADO', now() + interval '1 day', now())
    returning id`;
  const [job] =
    await sql`insert into public.trabajos (oferta_id, chat_id, cliente_id, profesional_id, descripcion, precio_final)
    values (${offer.id}, ${chat.id}, ${client.id}, ${pro.id}, 'Una oferta de prueba', 100) returning id`;
  await sql`insert into public.trabajo_eventos (trabajo_id, tipo, descripcion) values (${job.id}, 'COMENTARIO', 'hola')`;
  return { client, pro, stranger, admin, offerId: offer.id as string, jobId: job.id as string };
}

const count = (account: TestAccount, query: (tx: postgres.TransactionSql) => Promise<unknown[]>) =>
  db.asUser(asAuth(account), query).then((rows) => rows.length);

it("ofertas, trabajos, trabajo_eventos: both parties and admins read; strangers see nothing; anon is refused", async () => {
  const f = await fixture();
  const queries = {
    ofertas: (tx: postgres.TransactionSql) => tx`select id from public.ofertas where id = ${f.offerId}`,
    trabajos: (tx: postgres.TransactionSql) => tx`select id from public.trabajos where id = ${f.jobId}`,
    trabajo_eventos: (tx: postgres.TransactionSql) =>
      tx`select id from public.trabajo_eventos where trabajo_id = ${f.jobId}`,
  };
  for (const [table, q] of Object.entries(queries)) {
    assert.equal(await count(f.client, q), 1, `${table}: client`);
    assert.equal(await count(f.pro, q), 1, `${table}: pro`);
    assert.equal(await count(f.admin, q), 1, `${table}: admin`);
    assert.equal(await count(f.stranger, q), 0, `${table}: stranger`);
    assert.equal(
      await sqlState(db.asAnon((tx) => tx`select id from ${tx(table)}`)),
      "42501",
      `${table}: anon`,
    );
  }
});

it("no API role writes offers, jobs or timelines, nor marks a job paid, nor releases its escrow", async () => {
  const f = await fixture();
  const attempts = [
    (tx: postgres.TransactionSql) =>
      tx`update public.ofertas set estado = 'RECHAZADO' where id = ${f.offerId}`,
    (tx: postgres.TransactionSql) =>
      tx`update public.trabajos set estado = 'CANCELADO' where id = ${f.jobId}`,
    (tx: postgres.TransactionSql) => tx`delete from public.trabajos where id = ${f.jobId}`,
    (tx: postgres.TransactionSql) =>
      tx`insert into public.trabajo_eventos (trabajo_id, tipo, descripcion) values (${f.jobId}, 'COMENTARIO', 'x')`,
    (tx: postgres.TransactionSql) => tx`select * from public.trabajo_marcar_pagado(${f.jobId}, 'FORGED')`,
    (tx: postgres.TransactionSql) => tx`select * from public.escrow_liberar(${f.jobId})`,
  ];
  for (const attempt of attempts) {
    for (const who of [f.client, f.pro, f.admin]) {
      assert.equal(await sqlState(db.asUser(asAuth(who), attempt)), "42501", `${who.rol}: ${attempt}`);
    }
  }
  const [job] = await testSql()`select estado::text from public.trabajos where id = ${f.jobId}`;
  assert.equal(job.estado, "PENDIENTE_PAGO");
});

it("marketplace_people: the cards of people I share an offer or chat with (rating for pros); admins all", async () => {
  const f = await fixture();
  const ids = [f.client.id, f.pro.id, f.stranger.id];
  const seen = (account: TestAccount) =>
    db.asUser(asAuth(account), (tx) => tx`select id from public.marketplace_people(${ids}::uuid[])`)
      .then((rows) => rows.map((r) => r.id as string).sort());
  assert.deepEqual(await seen(f.client), [f.client.id, f.pro.id].sort());
  assert.deepEqual(await seen(f.pro), [f.client.id, f.pro.id].sort());
  assert.deepEqual(await seen(f.stranger), [f.stranger.id]);
  assert.deepEqual(await seen(f.admin), [...ids].sort());
  const [card] = await db.asUser(
    asAuth(f.client),
    (tx) => tx`select rating_promedio, avatar_url from public.marketplace_people(${[f.pro.id]}::uuid[])`,
  );
  assert.equal(Number(card.rating_promedio), 0);
  assert.equal(
    await sqlState(db.asAnon((tx) => tx`select * from public.marketplace_people(${ids}::uuid[])`)),
    "42501",
  );
  // Without a signed-in caller (service connection) it answers nothing, never everyone.
  const service = await testSql()`select id from public.marketplace_people(${ids}::uuid[])`;
  assert.equal(service.length, 0);
});
