// The MercadoPago webhook through the gateway: signatures, idempotency under repetition and
// concurrency, amounts that do not match, unknown references, late payments, external refunds.

import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import {
  anomalies,
  createJob,
  invariantViolations,
  jobState,
  mpUrl,
  paymentsApi,
  signedWebhook,
  standInPayment,
} from "./helpers.ts";

it("a forged, missing or mismatched signature → 401 and nothing changes", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(500);
  const payment = await standInPayment({ external_reference: job.id, transaction_amount: 500 });

  const forged = await signedWebhook(gateway, payment.id, { secret: "not-the-webhook-secret" });
  assert.equal(forged.status, 401);
  // Signed for one payment, claiming another in the query string.
  const swapped = await signedWebhook(gateway, 1, { dataId: String(payment.id) });
  assert.equal(swapped.status, 401);
  const unsigned = await gateway.json("POST", `/webhook/mercadopago?data.id=${payment.id}&type=payment`, {
    body: { type: "payment", data: { id: String(payment.id) } },
  });
  assert.equal(unsigned.status, 401);
  const state = await jobState(job.id);
  assert.deepEqual([state.estado, state.pagos, state.cobros], ["PENDIENTE_PAGO", 0, 0]);

  // The genuine one, on the frontend's path too.
  const genuine = await signedWebhook(gateway, payment.id, { path: "/api/v1/pagos/webhook/mercadopago" });
  assert.equal(genuine.status, 200, JSON.stringify(genuine.body));
  assert.equal(genuine.body.resultado, "applied");
  assert.equal((await jobState(job.id)).estado, "PAGADO");
});

it("the same notification 20 times, in sequence and at once → one payment, one COBRO", async () => {
  const gateway = await paymentsApi();
  for (const mode of ["sequential", "concurrent"]) {
    const job = await createJob(2500);
    const payment = await standInPayment({ external_reference: job.id, transaction_amount: 2500 });
    const answers = mode === "sequential"
      ? await (async () => {
        const out = [];
        for (let i = 0; i < 20; i++) out.push(await signedWebhook(gateway, payment.id));
        return out;
      })()
      : await Promise.all(Array.from({ length: 20 }, () => signedWebhook(gateway, payment.id)));
    assert.deepEqual(answers.map((a) => a.status), Array(20).fill(200), mode);
    const outcomes = answers.map((a) => a.body.resultado).sort();
    assert.deepEqual(outcomes, ["applied", ...Array(19).fill("duplicate")], mode);
    assert.deepEqual(await jobState(job.id), {
      estado: "PAGADO",
      estado_escrow: "PAGADO_EN_ESCROW",
      mercadopago_payment_id: String(payment.id),
      saldo: 2500,
      cobros: 1,
      pagos: 1,
      aplicados: 1,
    }, mode);
    const [{ n }] = await testSql()`select count(*)::int as n from public.outbox
      where aggregate_id = ${job.id} and type in ('payment.approved', 'job.paid')`;
    assert.equal(n, 2, `${mode}: one job.paid and one payment.approved`);
    assert.deepEqual(await invariantViolations(job.id), []);
  }
});

it("a different amount → an anomaly for the admin, the job stays unpaid", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(3000);
  const payment = await standInPayment({ external_reference: job.id, transaction_amount: 30 });
  for (let i = 0; i < 3; i++) assert.equal((await signedWebhook(gateway, payment.id)).status, 200);
  const state = await jobState(job.id);
  assert.deepEqual([state.estado, state.pagos, state.aplicados, state.cobros], ["PENDIENTE_PAGO", 1, 0, 0]);
  assert.deepEqual(await anomalies(job.id), [{ tipo: "MONTO_DISTINTO", mp_payment_id: String(payment.id) }]);
});

it("an unknown reference is recorded as an anomaly; a second approved payment is PAGO_TARDIO", async () => {
  const gateway = await paymentsApi();
  const stray = await standInPayment({ external_reference: "TRABAJO-12", transaction_amount: 10 });
  const res = await signedWebhook(gateway, stray.id);
  assert.equal(res.body.resultado, "anomaly");
  const [row] = await testSql()`select tipo, trabajo_id from public.pago_anomalias where mp_payment_id = ${
    String(stray.id)
  }`;
  assert.deepEqual({ ...row }, { tipo: "REFERENCIA_DESCONOCIDA", trabajo_id: null });

  const job = await createJob(700);
  const first = await standInPayment({ external_reference: job.id, transaction_amount: 700 });
  const second = await standInPayment({ external_reference: job.id, transaction_amount: 700 });
  assert.equal((await signedWebhook(gateway, first.id)).body.resultado, "applied");
  assert.equal((await signedWebhook(gateway, second.id)).body.resultado, "anomaly");
  assert.deepEqual(await anomalies(job.id), [{ tipo: "PAGO_TARDIO", mp_payment_id: String(second.id) }]);
  const state = await jobState(job.id);
  assert.deepEqual([state.mercadopago_payment_id, state.cobros, state.aplicados], [String(first.id), 1, 1]);
});

it("a refund or chargeback MercadoPago reports after release opens an admin case", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(800);
  const payment = await standInPayment({ external_reference: job.id, transaction_amount: 800 });
  await signedWebhook(gateway, payment.id);
  await testSql().begin(async (tx) => {
    await tx`update public.trabajos set estado = 'APROBADO', estado_escrow = 'LIBERADO' where id = ${job.id}`;
    await tx`select * from public.escrow_liberar(${job.id})`;
  });
  const charged = await standInPayment({
    external_reference: job.id,
    transaction_amount: 800,
    status: "charged_back",
  });
  assert.equal((await signedWebhook(gateway, charged.id)).body.resultado, "anomaly");
  assert.deepEqual((await anomalies(job.id)).map((a) => a.tipo), ["CONTRACARGO"]);
  const [{ n }] =
    await testSql()`select count(*)::int as n from public.ledger_asientos where trabajo_id = ${job.id}`;
  assert.equal(n, 2, "COBRO and LIBERACION only: nothing booked automatically");
});

it("a payment refunded beyond a partial refund of ours is an admin case (REEMBOLSO_EXTERNO), not ours", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(1000);
  const payment = await standInPayment({ external_reference: job.id, transaction_amount: 1000 });
  assert.equal((await signedWebhook(gateway, payment.id)).body.resultado, "applied");
  // Ours: 100 of it (a dispute's partial refund, still being carried out).
  await testSql()`insert into public.reembolsos (trabajo_id, mp_payment_id, monto, motivo)
    values (${job.id}, ${String(payment.id)}, 100, 'Disputa')`;
  // All 1000 went back on MercadoPago's side: the payment is "refunded".
  const refund = await fetch(`${mpUrl()}/v1/payments/${payment.id}/refunds`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${testEnv().MERCADOPAGO_ACCESS_TOKEN}`,
      "x-idempotency-key": crypto.randomUUID(),
    },
  });
  assert.equal(refund.status, 201, await refund.text());
  assert.equal((await signedWebhook(gateway, payment.id)).body.resultado, "anomaly");
  assert.deepEqual((await anomalies(job.id)).map((a) => a.tipo), ["REEMBOLSO_EXTERNO"]);
});

it("a signed notification of a payment MercadoPago does not know is acknowledged, not retried", async () => {
  const gateway = await paymentsApi();
  const res = await signedWebhook(gateway, 987654321, { path: "/webhook/mercadopago" });
  assert.equal(res.status, 200);
  assert.equal(res.body.message, "Payment not found");
});

it("a body that is not a JSON object (null, a number, garbage) is no hint: 401 without a signature, never 500", async () => {
  const gateway = await paymentsApi();
  for (const body of ["null", "42", "not json", "[]"]) {
    for (const path of ["/api/v1/webhook/mercadopago", "/api/v1/pagos/webhook/mercadopago"]) {
      const res = await gateway.fetch(`${path}?data.id=123&type=payment`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      await res.body?.cancel();
      assert.equal(res.status, 401, `${path} with ${body}`);
    }
  }
});
