import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { runAsScheduler } from "../support/scheduled.ts";
import { api } from "../support/gateway.ts";
import { firestoreDoc } from "../chat/helpers.ts";
import { deal, job, jobIn, jobRow, offer } from "../offers/helpers.ts";
import { backdate, invariantViolations, ledgerOf, openDispute, outboxCount, sweep } from "./helpers.ts";

/**
 * The marketplace's timers (functions/chat-offers/timers.ts): expiry of offers and unpaid jobs,
 * auto-approval with the release, the dispute freeze, reminders once, concurrent sweeps acting
 * once, and the scheduler-only sweep route.
 */
async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it("an offer past its fecha_expiracion is never accepted, and the sweep makes it EXPIRADO once", async () => {
  const gw = await api();
  const d = await deal(gw);
  const o = await offer(gw, d);
  await testSql()`update public.ofertas set fecha_expiracion = now() - interval '1 minute' where id = ${o.id}`;
  // Before or after the sweep: refused, naming EXPIRADO.
  const res = await gw.json("POST", `/api/v1/cliente/ofertas/${o.id}/accept`, { token: d.client.token });
  assert.equal(res.status, 400);
  assert.match(res.body.detail, /EXPIRADO/);
  await Promise.all([sweep(), sweep()]);
  const [row] = await testSql()`select estado::text, fecha_respuesta from public.ofertas where id = ${o.id}`;
  assert.equal(row.estado, "EXPIRADO");
  assert.ok(row.fecha_respuesta);
  assert.equal(await outboxCount(o.id, "offer.expired"), 1);
  const [{ n }] = await testSql()`select count(*)::int as n from public.trabajos where oferta_id = ${o.id}`;
  assert.equal(n, 0);
});

it("an unpaid job past JOB_UNPAID_EXPIRY_HOURS is CANCELADO (job.expired once) and its chat is told", async () => {
  const gw = await api();
  const d = await deal(gw);
  const { trabajoId } = await job(gw, d);
  await backdate(trabajoId, "fecha_creacion", 47);
  await sweep();
  assert.equal((await jobRow(trabajoId)).estado, "PENDIENTE_PAGO", "not yet due");
  await backdate(trabajoId, "fecha_creacion", 49);
  await Promise.all([sweep(), sweep(), sweep()]);
  assert.equal((await jobRow(trabajoId)).estado, "CANCELADO");
  assert.equal(await outboxCount(trabajoId, "job.expired"), 1);
  const system = await until(
    "the system message",
    () => firestoreDoc(`messages/${d.chatId}/messages/vencido-${trabajoId}`),
  );
  assert.equal(system.data.senderId, "system");
  assert.match(system.data.text, /no se pagó a tiempo/);
  // Paying afterwards changes nothing (payments' interface refuses a step back).
  const [late] = await testSql()`select * from public.trabajo_marcar_pagado(${trabajoId}, 'SIM-LATE')`;
  assert.equal(late.paid, false);
});

it("an unpaid job whose payment MercadoPago still has under way is not expired until that payment is settled", async () => {
  const gw = await api();
  const d = await deal(gw);
  const { trabajoId } = await job(gw, d);
  const [{ precio }] = await testSql()`select precio_final::float8 as precio from public.trabajos
    where id = ${trabajoId}`;
  const paymentId = `IN-REVIEW-${crypto.randomUUID()}`;
  await testSql()`insert into public.pagos (mp_payment_id, trabajo_id, external_reference, status, monto)
    values (${paymentId}, ${trabajoId}, ${trabajoId}, 'in_process', ${precio})`;
  await backdate(trabajoId, "fecha_creacion", 49);
  await sweep();
  assert.equal((await jobRow(trabajoId)).estado, "PENDIENTE_PAGO", "kept while the payment is in review");
  await testSql()`update public.pagos set status = 'rejected' where mp_payment_id = ${paymentId}`;
  await sweep();
  assert.equal((await jobRow(trabajoId)).estado, "CANCELADO");
  assert.equal(await outboxCount(trabajoId, "job.expired"), 1);
});

it("a COMPLETADO job is auto-approved after JOB_AUTO_APPROVE_DAYS with the release of a manual approval", async () => {
  const gw = await api();
  const d = await deal(gw, { nivel: "BRONCE" });
  const trabajoId = await jobIn(gw, d, "COMPLETADO", 10000);
  await backdate(trabajoId, "fecha_fin", 13 * 24);
  await sweep();
  assert.equal((await jobRow(trabajoId)).estado, "COMPLETADO", "not yet due");
  await backdate(trabajoId, "fecha_fin", 14 * 24 + 1);
  // Two sweeps at the same instant: one approval, one release.
  const reports = await Promise.all([sweep(), sweep()]);
  assert.ok(reports.every((r) => r.errores === 0), JSON.stringify(reports));
  const row = await jobRow(trabajoId);
  assert.equal(row.estado, "APROBADO");
  assert.equal(row.estado_escrow, "LIBERADO");
  assert.equal(row.comision_plataforma, 2000);
  assert.equal(row.monto_liberado, 8000);
  const ledger = await ledgerOf(trabajoId);
  assert.deepEqual(ledger.entries, ["COBRO", "LIBERACION"]);
  assert.equal(ledger.pro, 8000);
  for (const type of ["job.auto_approved", "job.approved", "escrow.released"]) {
    assert.equal(await outboxCount(trabajoId, type), 1, type);
  }
  assert.deepEqual(await invariantViolations(trabajoId), []);
});

it("an open dispute freezes auto-approval (and its reminder) however late it is", async () => {
  const gw = await api();
  const d = await deal(gw);
  const trabajoId = await jobIn(gw, d, "COMPLETADO");
  assert.equal((await openDispute(gw, d.client.token, trabajoId)).status, 201);
  await backdate(trabajoId, "fecha_fin", 13 * 24 + 1);
  await sweep();
  await backdate(trabajoId, "fecha_fin", 60 * 24);
  await sweep();
  assert.equal((await jobRow(trabajoId)).estado, "COMPLETADO");
  assert.equal(await outboxCount(trabajoId, "job.approval_reminder"), 0);
  assert.equal(await outboxCount(trabajoId, "job.approved"), 0);
});

it("reminders go out once, inside JOB_REMINDER_HOURS before each deadline", async () => {
  const gw = await api();
  const d = await deal(gw);
  const unpaid = (await job(gw, d)).trabajoId;
  const done = await jobIn(gw, d, "COMPLETADO");
  await backdate(unpaid, "fecha_creacion", 10);
  await backdate(done, "fecha_fin", 5 * 24);
  await sweep();
  assert.equal(await outboxCount(unpaid, "job.payment_reminder"), 0, "too early");
  assert.equal(await outboxCount(done, "job.approval_reminder"), 0, "too early");
  await backdate(unpaid, "fecha_creacion", 30);
  await backdate(done, "fecha_fin", 13 * 24 + 2);
  await Promise.all([sweep(), sweep()]);
  await sweep();
  assert.equal(await outboxCount(unpaid, "job.payment_reminder"), 1);
  assert.equal(await outboxCount(done, "job.approval_reminder"), 1);
  const [event] = await testSql()`select payload from public.outbox
    where aggregate_id = ${unpaid} and type = 'job.payment_reminder'`;
  assert.equal(event.payload.cliente_id, d.client.id);
  assert.ok(new Date(event.payload.vence_el).getTime() > Date.now());
  assert.equal((await jobRow(unpaid)).estado, "PENDIENTE_PAGO");
});

it("POST /chat-offers/events/timers runs a pass for the scheduler only (401 otherwise)", async () => {
  const report = await runAsScheduler("/chat-offers/events/timers");
  assert.deepEqual(Object.keys(report).sort(), [
    "errores",
    "ofertas_expiradas",
    "recordatorios",
    "trabajos_aprobados",
    "trabajos_expirados",
  ]);
});
