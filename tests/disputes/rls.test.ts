// Row-level security of disputas, disputa_mensajes and trabajo_recordatorios, as each database role.

import assert from "node:assert/strict";
import postgres from "postgres";
import type { AuthUser, Rol } from "../../shared/auth.ts";
import { createDb } from "../../shared/db.ts";
import { createAccount, type TestAccount, testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";

const db = createDb(testEnv().DATABASE_URL, { max: 2, appName: "disputes-rls-test" });

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

/** A job with an open dispute, one message and one reminder row, straight in SQL. */
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
    await sql`insert into public.trabajos (oferta_id, chat_id, cliente_id, profesional_id, descripcion,
      precio_final) values (${offer.id}, ${chat.id}, ${client.id}, ${pro.id}, 'Una oferta de prueba', 100) returning id`;
  const [dispute] =
    await sql`insert into public.disputas (trabajo_id, cliente_id, profesional_id, abierta_por, motivo,
      descripcion) values (${job.id}, ${client.id}, ${pro.id}, ${client.id}, 'OTRO', 'Una descripción larga') returning id`;
  await sql`insert into public.disputa_mensajes (disputa_id, autor_id, texto) values (${dispute.id}, ${client.id}, 'hola')`;
  await sql`insert into public.trabajo_recordatorios (trabajo_id, tipo) values (${job.id}, 'PAGO_PENDIENTE')`;
  return { client, pro, stranger, admin, jobId: job.id as string, disputeId: dispute.id as string };
}

const count = (account: TestAccount, query: (tx: postgres.TransactionSql) => Promise<unknown[]>) =>
  db.asUser(asAuth(account), query).then((rows) => rows.length);

it("disputas and disputa_mensajes: the job's parties and admins read; strangers see nothing; anon refused", async () => {
  const f = await fixture();
  const queries = {
    disputas: (tx: postgres.TransactionSql) => tx`select id from public.disputas where id = ${f.disputeId}`,
    disputa_mensajes: (tx: postgres.TransactionSql) =>
      tx`select id from public.disputa_mensajes where disputa_id = ${f.disputeId}`,
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
