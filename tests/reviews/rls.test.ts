// Row-level security of resenas and the public read interface resenas_publicas, as each role.

import assert from "node:assert/strict";
import postgres from "postgres";
import { createAccount, type TestAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { asAuth, rlsDb, rowCounter, sqlState } from "../support/rls.ts";
import { createPro } from "../professionals/helpers.ts";

const db = rlsDb("reviews-rls-test");

/** An approved professional's released job and its review, straight in SQL. */
async function fixture() {
  const [client, stranger, admin] = await Promise.all([
    createAccount("CLIENTE", { nombre: "Rita", apellido: "Reseña" }),
    createAccount("CLIENTE"),
    createAccount("ADMIN"),
  ]);
  const [pro, otherPro] = [await createPro(), await createPro()];
  const sql = testSql();
  const [chat] = await sql`insert into public.chats (cliente_id, profesional_id)
    values (${client.id}, ${pro.id}) returning id`;
  const [offer] = await sql`insert into public.ofertas (chat_id, profesional_id, cliente_id, descripcion,
      precio_final, estado, fecha_expiracion, fecha_respuesta)
    values (${chat.id}, ${pro.id}, ${client.id}, 'Una oferta de prueba', 100, 'ACEPTADO', now() + interval '1 day', now())
    returning id`;
  const [job] =
    await sql`insert into public.trabajos (oferta_id, chat_id, cliente_id, profesional_id, descripcion,
      precio_final, estado, estado_escrow, fecha_aprobacion)
    values (${offer.id}, ${chat.id}, ${client.id}, ${pro.id}, 'Una oferta de prueba', 100, 'APROBADO', 'LIBERADO', now())
    returning id`;
  const [review] =
    await sql`insert into public.resenas (trabajo_id, cliente_id, profesional_id, rating, texto_resena)
    values (${job.id}, ${client.id}, ${pro.profesionalId}, 5, 'Impecable') returning id`;
  return { client, stranger, admin, pro, otherPro, jobId: job.id as string, reviewId: review.id as string };
}

const count = rowCounter(db);

it("resenas: the client who wrote it, the reviewed professional and admins read it; nobody else; anon refused", async () => {
  const f = await fixture();
  const q = (tx: postgres.TransactionSql) => tx`select id from public.resenas where id = ${f.reviewId}`;
  assert.equal(await count(f.client, q), 1, "client");
  assert.equal(await count(f.pro, q), 1, "reviewed professional");
  assert.equal(await count(f.admin, q), 1, "admin");
  assert.equal(await count(f.stranger, q), 0, "another client");
  assert.equal(await count(f.otherPro, q), 0, "another professional");
  assert.equal(await sqlState(db.asAnon((tx) => tx`select id from public.resenas`)), "42501", "anon");
});

it("no API role writes reviews (they go through chat-offers' checks)", async () => {
  const f = await fixture();
  const attempts: [TestAccount, (tx: postgres.TransactionSql) => Promise<unknown>][] = [
    [f.client, (tx) => tx`update public.resenas set rating = 1 where id = ${f.reviewId}`],
    [
      f.pro,
      (tx) => tx`update public.resenas set respuesta = 'x', respuesta_at = now() where id = ${f.reviewId}`,
    ],
    [f.client, (tx) => tx`delete from public.resenas where id = ${f.reviewId}`],
    [f.client, (tx) =>
      tx`insert into public.resenas (trabajo_id, cliente_id, profesional_id, rating)
        values (${f.jobId}, ${f.client.id}, ${f.pro.profesionalId}, 1)`],
  ];
  for (const [who, attempt] of attempts) {
    assert.equal(await sqlState(db.asUser(asAuth(who), attempt)), "42501");
  }
  const [row] = await testSql()`select rating, respuesta from public.resenas where id = ${f.reviewId}`;
  assert.deepEqual([row.rating, row.respuesta], [5, null]);
});

it("resenas_publicas: anon reads an approved, active professional's reviews without client ids; hidden pros none", async () => {
  const f = await fixture();
  const rows = await db.asAnon((tx) => tx`select * from public.resenas_publicas(${f.pro.profesionalId})`);
  assert.equal(rows.length, 1);
  assert.deepEqual(Object.keys(rows[0]).sort(), [
    "cliente_avatar_url",
    "fecha_creacion",
    "id",
    "nombre_cliente",
    "rating",
    "texto_resena",
  ]);
  assert.equal(rows[0].nombre_cliente, "Rita Reseña");
  await testSql()`update public.usuarios set is_active = false where id = ${f.pro.id}`;
  assert.equal(
    (await db.asAnon((tx) => tx`select * from public.resenas_publicas(${f.pro.profesionalId})`)).length,
    0,
  );
  await testSql()`update public.usuarios set is_active = true where id = ${f.pro.id}`;
  await testSql()`update public.profesionales set estado_verificacion = 'PENDIENTE' where id = ${f.pro.profesionalId}`;
  assert.equal(
    (await db.asAnon((tx) => tx`select * from public.resenas_publicas(${f.pro.profesionalId})`)).length,
    0,
  );
});

it("resenas constraints: one per job, rating 1–5, text ≤ 2000, an answer has its date", async () => {
  const f = await fixture();
  const sql = testSql();
  const insert = (rating: number, texto: string | null = null) =>
    sql`insert into public.resenas (trabajo_id, cliente_id, profesional_id, rating, texto_resena)
      values (${f.jobId}, ${f.client.id}, ${f.pro.profesionalId}, ${rating}, ${texto})`;
  assert.equal(await sqlState(insert(4)), "23505", "second review of the job");
  await sql`delete from public.resenas where id = ${f.reviewId}`;
  assert.equal(await sqlState(insert(0)), "23514");
  assert.equal(await sqlState(insert(6)), "23514");
  assert.equal(await sqlState(insert(5, "x".repeat(2001))), "23514");
  await insert(5, "x".repeat(2000));
  assert.equal(
    await sqlState(sql`update public.resenas set respuesta = 'Gracias' where trabajo_id = ${f.jobId}`),
    "23514",
  );
});
