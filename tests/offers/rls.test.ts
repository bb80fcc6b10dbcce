// Row-level security of ofertas, trabajos and trabajo_eventos, the marketplace_people card function
// and the jobs' SQL interface for payments, as each database role.

import assert from "node:assert/strict";
import postgres from "postgres";
import { type TestAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { insertPendingJob } from "./helpers.ts";
import { asAuth, assertOnlyPartiesRead, fourPeople, rlsDb, sqlState } from "../support/rls.ts";

const db = rlsDb("offers-rls-test");

/** A chat, an accepted offer and its job with one timeline row, straight in SQL. */
async function fixture() {
  const { client, pro, stranger, admin } = await fourPeople();
  const sql = testSql();
  const { offerId, jobId } = await insertPendingJob(client, pro, 100, "Una oferta de prueba");
  await sql`insert into public.trabajo_eventos (trabajo_id, tipo, descripcion) values (${jobId}, 'COMENTARIO', 'hola')`;
  return { client, pro, stranger, admin, offerId, jobId };
}

it("ofertas, trabajos, trabajo_eventos: both parties and admins read; strangers see nothing; anon is refused", async () => {
  const f = await fixture();
  const queries = {
    ofertas: (tx: postgres.TransactionSql) => tx`select id from public.ofertas where id = ${f.offerId}`,
    trabajos: (tx: postgres.TransactionSql) => tx`select id from public.trabajos where id = ${f.jobId}`,
    trabajo_eventos: (tx: postgres.TransactionSql) =>
      tx`select id from public.trabajo_eventos where trabajo_id = ${f.jobId}`,
  };
  await assertOnlyPartiesRead(db, f, queries);
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
