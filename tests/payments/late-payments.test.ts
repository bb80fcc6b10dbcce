// A payment MercadoPago approves that we cannot apply — the client paid the same job twice, or
// paid after the job was cancelled — is returned whole, automatically: PAGO_TARDIO records it,
// refund.requested (devolucion_id) → payments calls MercadoPago's refunds API once → the
// devolución COMPLETADO, the case closed, the client told both times, and the job's own books
// untouched.

import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { notificationsOf } from "../events/helpers.ts";
import {
  createJob,
  invariantViolations,
  jobState,
  paymentsApi,
  signedWebhook,
  standIn,
  standInPayment,
  waitFor,
} from "./helpers.ts";

async function returned(paymentId: string) {
  return await waitFor(async () => {
    const [row] = await testSql()`select estado, monto::float8 as monto, motivo, mp_refund_id, trabajo_id
      from public.devoluciones where mp_payment_id = ${paymentId} and estado = 'COMPLETADO'`;
    return row;
  }, 15_000);
}

async function lateCase(jobId: string) {
  const [row] = await testSql()`select tipo, estado, nota_resolucion, detalle from public.pago_anomalias
    where trabajo_id = ${jobId} and tipo = 'PAGO_TARDIO'`;
  return row;
}

it("a second approved payment of a paid job is returned whole, once; the case closes itself", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(700);
  const first = await standInPayment({ external_reference: job.id, transaction_amount: 700 });
  const second = await standInPayment({ external_reference: job.id, transaction_amount: 700 });
  assert.equal((await signedWebhook(gateway, first.id)).body.resultado, "applied");
  // MercadoPago notifies more than once; the return is asked for once.
  for (let i = 0; i < 3; i++) await signedWebhook(gateway, second.id);

  const done = await returned(String(second.id));
  assert.equal(done.monto, 700);
  assert.equal(done.trabajo_id, job.id);
  assert.equal(done.motivo, "El trabajo ya estaba pagado con otro pago");
  const atMp = (await standIn("refunds")).filter((r) => String(r.payment_id) === String(second.id));
  assert.equal(atMp.length, 1, "MercadoPago's refunds API reached exactly once");
  assert.equal(atMp[0].amount, 700);
  assert.equal(String(atMp[0].id), done.mp_refund_id);
  const closed = await waitFor(async () => {
    const row = await lateCase(job.id);
    return row?.estado === "RESUELTA" ? row : null;
  });
  assert.match(closed.nota_resolucion, /Devuelto automáticamente/);
  assert.equal(closed.detalle.devolucion_automatica, true);

  // MercadoPago's own "refunded" notice of it is ours, not money moved behind our back.
  const notice = await signedWebhook(gateway, second.id);
  assert.equal(notice.status, 200);
  const [external] = await testSql()`select count(*)::int as n from public.pago_anomalias
    where trabajo_id = ${job.id} and tipo in ('REEMBOLSO_EXTERNO', 'CONTRACARGO')`;
  assert.equal(external.n, 0);
  // The job keeps the first payment, its escrow untouched.
  assert.deepEqual(await jobState(job.id), {
    estado: "PAGADO",
    estado_escrow: "PAGADO_EN_ESCROW",
    mercadopago_payment_id: String(first.id),
    saldo: 700,
    cobros: 1,
    pagos: 2,
    aplicados: 1,
  });
  assert.deepEqual(await invariantViolations(job.id), []);
  const told = await waitFor(async () => {
    const notes = (await notificationsOf(job.client.id)).filter((n) => n.tipo === "PAGO_DEVUELTO");
    return notes.length === 2 ? notes : null;
  });
  assert.deepEqual(told.map((n) => n.titulo).sort(), ["Pago devuelto", "Te devolvemos un pago"]);
  assert.equal((await notificationsOf(job.pro.id)).filter((n) => n.tipo === "PAGO_DEVUELTO").length, 0);
});

it("a payment approved after its job was cancelled unpaid is returned whole", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(1250.5);
  await testSql()`update public.trabajos set estado = 'CANCELADO', estado_escrow = 'CANCELADO_REEMBOLSADO',
    fecha_cancelacion = now() where id = ${job.id}`;
  const late = await standInPayment({ external_reference: job.id, transaction_amount: 1250.5 });
  assert.equal((await signedWebhook(gateway, late.id)).body.resultado, "anomaly");
  const done = await returned(String(late.id));
  assert.equal(done.monto, 1250.5);
  assert.equal(done.motivo, "El pago llegó cuando el trabajo ya estaba cancelado");
  const state = await jobState(job.id);
  assert.deepEqual([state.estado, state.saldo, state.cobros, state.aplicados], ["CANCELADO", 0, 0, 0]);
  assert.equal((await lateCase(job.id)).estado, "RESUELTA");
  assert.deepEqual(await invariantViolations(job.id), []);
});
