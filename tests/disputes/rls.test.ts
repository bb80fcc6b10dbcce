// Row-level security of disputas, disputa_mensajes and trabajo_recordatorios, as each database role.

import assert from "node:assert/strict";
import postgres from "postgres";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { insertPendingJob } from "../offers/helpers.ts";
import { asAuth, assertOnlyPartiesRead, fourPeople, rlsDb, rowCounter, sqlState } from "../support/rls.ts";

const db = rlsDb("disputes-rls-test");

/** A job with an open dispute, one message and one reminder row, straight in SQL. */
async function fixture() {
  const { client, pro, stranger, admin } = await fourPeople();
  const sql = testSql();
  const { jobId } = await insertPendingJob(client, pro, 100, "Una oferta de prueba");
  const [dispute] =
    await sql`insert into public.disputas (trabajo_id, cliente_id, profesional_id, abierta_por, motivo,
      descripcion) values (${jobId}, ${client.id}, ${pro.id}, ${client.id}, 'OTRO', 'Una descripción larga') returning id`;
  await sql`insert into public.disputa_mensajes (disputa_id, autor_id, texto) values (${dispute.id}, ${client.id}, 'hola')`;
  await sql`insert into public.trabajo_recordatorios (trabajo_id, tipo) values (${jobId}, 'PAGO_PENDIENTE')`;
  return { client, pro, stranger, admin, jobId, disputeId: dispute.id as string };
}

const count = rowCounter(db);

it("disputas and disputa_mensajes: the job's parties and admins read; strangers see nothing; anon refused", async () => {
  const f = await fixture();
  const queries = {
    disputas: (tx: postgres.TransactionSql) => tx`select id from public.disputas where id = ${f.disputeId}`,
    disputa_mensajes: (tx: postgres.TransactionSql) =>
      tx`select id from public.disputa_mensajes where disputa_id = ${f.disputeId}`,
  };
  await assertOnlyPartiesRead(db, f, queries);
  const reminders = (tx: postgres.TransactionSql) =>
    tx`select trabajo_id from public.trabajo_recordatorios where trabajo_id = ${f.jobId}`;
  assert.equal(await count(f.admin, reminders), 1);
  for (const who of [f.client, f.pro, f.stranger]) assert.equal(await count(who, reminders), 0);
});

it("no API role writes disputes, their messages or reminders", async () => {
  const f = await fixture();
  const attempts = [
    (tx: postgres.TransactionSql) =>
      tx`update public.disputas set estado = 'RESUELTA' where id = ${f.disputeId}`,
    (tx: postgres.TransactionSql) => tx`delete from public.disputas where id = ${f.disputeId}`,
    (tx: postgres.TransactionSql) =>
      tx`insert into public.disputa_mensajes (disputa_id, autor_id, texto) values (${f.disputeId}, ${f.client.id}, 'x')`,
    (tx: postgres.TransactionSql) =>
      tx`delete from public.trabajo_recordatorios where trabajo_id = ${f.jobId}`,
  ];
  for (const attempt of attempts) {
    for (const who of [f.client, f.pro, f.admin]) {
      assert.equal(await sqlState(db.asUser(asAuth(who), attempt)), "42501", `${who.rol}: ${attempt}`);
    }
  }
  const [row] = await testSql()`select estado from public.disputas where id = ${f.disputeId}`;
  assert.equal(row.estado, "ABIERTA");
});

it("one open dispute per job (a resolved one allows another)", async () => {
  const f = await fixture();
  const sql = testSql();
  const second = sql`insert into public.disputas (trabajo_id, cliente_id, profesional_id, abierta_por, motivo,
    descripcion) values (${f.jobId}, ${f.client.id}, ${f.pro.id}, ${f.pro.id}, 'OTRO', 'Otra descripción larga')`;
  assert.equal(await sqlState(second), "23505");
  await sql`update public.disputas set estado = 'RESUELTA', resolucion = 'LIBERAR', fecha_resolucion = now()
    where id = ${f.disputeId}`;
  await sql`insert into public.disputas (trabajo_id, cliente_id, profesional_id, abierta_por, motivo, descripcion)
    values (${f.jobId}, ${f.client.id}, ${f.pro.id}, ${f.pro.id}, 'OTRO', 'Otra descripción larga')`;
});
