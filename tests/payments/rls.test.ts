// Row-level security of the payments tables (pago_preferencias, pagos, pago_anomalias,
// reembolsos, devoluciones, ledger_asientos, ledger_movimientos) and of the escrow functions, as
// each role.

import assert from "node:assert/strict";
import postgres from "postgres";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { asAuth, rlsDb, rowCounter, sqlState } from "../support/rls.ts";
import { createJob } from "./helpers.ts";

const db = rlsDb("payments-rls-test");

/** A paid, released and partly refunded-looking job: one row in every payments table. */
async function fixture() {
  const job = await createJob(1000);
  const [stranger, admin] = await Promise.all([createAccount("CLIENTE"), createAccount("ADMIN")]);
  const mpId = `RLS-${crypto.randomUUID()}`;
  await testSql().begin(async (tx) => {
    await tx`insert into public.pago_preferencias (trabajo_id, preference_id, init_point, monto)
      values (${job.id}, ${`pref-${mpId}`}, 'http://mp/checkout', 1000)`;
    await tx`insert into public.pagos (mp_payment_id, trabajo_id, external_reference, status, monto, aplicado_at)
      values (${mpId}, ${job.id}, ${job.id}, 'approved', 1000, now())`;
    await tx`select * from public.trabajo_marcar_pagado(${job.id}, ${mpId})`;
    await tx`select public.escrow_retener(${job.id}, 1000, ${mpId})`;
    await tx`insert into public.pago_anomalias (tipo, mp_payment_id, trabajo_id) values ('PAGO_TARDIO', ${mpId}, ${job.id})`;
    await tx`update public.trabajos set estado = 'APROBADO', estado_escrow = 'LIBERADO' where id = ${job.id}`;
    await tx`select * from public.escrow_liberar(${job.id}, 600)`;
    await tx`insert into public.reembolsos (trabajo_id, mp_payment_id, monto, motivo)
      values (${job.id}, ${mpId}, 400, 'Disputa')`;
    await tx`insert into public.devoluciones (mp_payment_id, trabajo_id, monto, motivo)
      values (${`${mpId}-twice`}, ${job.id}, 1000, 'El trabajo ya estaba pagado con otro pago')`;
  });
  return { ...job, stranger, admin };
}

const count = rowCounter(db);

it("preferences, payments, refunds and returned payments: the job's parties and admins see them; nobody else", async () => {
  const f = await fixture();
  for (const table of ["pago_preferencias", "pagos", "reembolsos", "devoluciones"]) {
    const q = (tx: postgres.TransactionSql) =>
      tx`select 1 from ${tx("public." + table)} where trabajo_id = ${f.id}`;
    assert.equal(await count(f.client, q), 1, `${table} client`);
    assert.equal(await count(f.pro, q), 1, `${table} pro`);
    assert.equal(await count(f.admin, q), 1, `${table} admin`);
    assert.equal(await count(f.stranger, q), 0, `${table} stranger`);
    assert.equal(await sqlState(db.asAnon((tx) => tx`select 1 from ${tx("public." + table)}`)), "42501");
  }
});

it("anomalies and ledger entries: admins only; movements: the job's professional and admins", async () => {
  const f = await fixture();
  const anomaly = (tx: postgres.TransactionSql) =>
    tx`select 1 from public.pago_anomalias where trabajo_id = ${f.id}`;
  const entries = (tx: postgres.TransactionSql) =>
    tx`select 1 from public.ledger_asientos where trabajo_id = ${f.id}`;
  for (const q of [anomaly, entries]) {
    assert.equal(await count(f.admin, q), q === entries ? 2 : 1);
    for (const who of [f.client, f.pro, f.stranger]) assert.equal(await count(who, q), 0);
  }
  const moves = (tx: postgres.TransactionSql) =>
    tx`select cuenta from public.ledger_movimientos where trabajo_id = ${f.id}`;
  assert.equal(await count(f.admin, moves), 5, "2 of the COBRO, 3 of the LIBERACION");
  // The professional sees the lines of their jobs (their balance, and the release's commission
  // for their history: 20261212000100_payments_payouts.sql); another professional sees none.
  const own = await db.asUser(asAuth(f.pro), moves);
  assert.ok(own.some((m) => m.cuenta === "profesional"));
  assert.equal(await count(await createAccount("PROFESIONAL"), moves), 0);
  assert.equal(await count(f.client, moves), 0);
  assert.equal(await count(f.stranger, moves), 0);
});

it("API roles cannot write the payments tables nor call the escrow functions", async () => {
  const f = await fixture();
  for (const who of [f.client, f.pro, f.admin]) {
    const as = (q: (tx: postgres.TransactionSql) => Promise<unknown>) => sqlState(db.asUser(asAuth(who), q));
    assert.equal(
      await as((tx) => tx`update public.pagos set aplicado_at = null where trabajo_id = ${f.id}`),
      "42501",
    );
    assert.equal(await as((tx) => tx`delete from public.pago_anomalias where trabajo_id = ${f.id}`), "42501");
    assert.equal(
      await as((tx) =>
        tx`insert into public.reembolsos (trabajo_id, mp_payment_id, monto, motivo)
        values (${f.id}, 'x', 1, 'x')`
      ),
      "42501",
    );
    assert.equal(
      await as((tx) => tx`update public.devoluciones set estado = 'COMPLETADO' where trabajo_id = ${f.id}`),
      "42501",
    );
    assert.equal(
      await as((tx) => tx`select * from public.pago_solicitar_devolucion('x', ${f.id}, 1, 'x')`),
      "42501",
    );
    assert.equal(
      await as((tx) => tx`select * from public.pago_completar_devolucion(${f.id}, 'x')`),
      "42501",
    );
    assert.equal(await as((tx) => tx`select public.escrow_retener(${f.id}, 1, 'x')`), "42501");
    assert.equal(await as((tx) => tx`select * from public.escrow_liberar(${f.id})`), "42501");
    assert.equal(
      await as((tx) => tx`select * from public.escrow_completar_reembolso(${f.id}, 'x')`),
      "42501",
    );
    assert.equal(await as((tx) => tx`select * from public.ledger_invariant_violations()`), "42501");
  }
  // The ledger is append-only even for the service role.
  assert.equal(
    await sqlState(testSql()`delete from public.ledger_movimientos where trabajo_id = ${f.id}`),
    "42501",
  );
});
