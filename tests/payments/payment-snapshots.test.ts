// What recordPayment does with snapshots of a payment that arrive out of order or describe money
// already partly given back: reconciliation and webhooks read MercadoPago at different moments,
// so the older snapshot can be the one written last.

import assert from "node:assert/strict";
import { recordPayment } from "../../functions/payments/apply-payment.ts";
import type { MercadoPagoPayment } from "../../functions/payments/mercadopago.ts";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { testPlatform } from "../support/platform.ts";
import { anomalies, createJob, jobState } from "./helpers.ts";

function snapshot(jobId: string, fields: Partial<MercadoPagoPayment>): MercadoPagoPayment {
  return {
    id: String(1_000_000_000 + Math.floor(Math.random() * 1_000_000_000)),
    status: "approved",
    statusDetail: "accredited",
    externalReference: jobId,
    amount: 1200,
    amountRefunded: 0,
    currency: "ARS",
    dateCreated: new Date().toISOString(),
    dateApproved: new Date().toISOString(),
    paymentMethodId: "visa",
    paymentTypeId: "credit_card",
    ...fields,
  };
}

async function withPlatform(run: (record: (p: MercadoPagoPayment) => Promise<string>) => Promise<void>) {
  const platform = testPlatform("payments");
  try {
    await run(async (p) =>
      (await platform.db.asService((tx) => recordPayment(tx, p, "conciliacion"))).outcome
    );
  } finally {
    await platform.close();
  }
}

it("an older 'approved' snapshot written after 'refunded' changes nothing: the refund stands", async () => {
  await withPlatform(async (record) => {
    const job = await createJob(1200);
    const approved = snapshot(job.id, {});
    const refunded = { ...approved, status: "refunded", statusDetail: "refunded", amountRefunded: 1200 };
    assert.equal(await record(refunded), "anomaly");
    assert.equal(await record(approved), "duplicate");
    const state = await jobState(job.id);
    assert.deepEqual([state.estado, state.cobros, state.saldo], ["PENDIENTE_PAGO", 0, 0]);
    const [row] = await testSql()`select status from public.pagos where mp_payment_id = ${approved.id}`;
    assert.equal(row.status, "refunded");
  });
});

it("'pending' after 'approved' keeps it approved; forward moves still apply", async () => {
  await withPlatform(async (record) => {
    const job = await createJob(1200);
    const approved = snapshot(job.id, {});
    assert.equal(
      await record({ ...approved, status: "pending", statusDetail: "pending_contingency" }),
      "recorded",
    );
    assert.equal(await record(approved), "applied");
    assert.equal(
      await record({ ...approved, status: "in_process", statusDetail: "pending_review" }),
      "duplicate",
    );
    assert.equal(
      await record({ ...approved, status: "in_mediation", statusDetail: "in_mediation" }),
      "recorded",
    );
    const [row] = await testSql()`select status from public.pagos where mp_payment_id = ${approved.id}`;
    assert.equal(row.status, "in_mediation");
    assert.equal((await jobState(job.id)).estado, "PAGADO");
  });
});

it("an approved payment partly refunded on MercadoPago's side is not applied at full price", async () => {
  await withPlatform(async (record) => {
    const job = await createJob(1200);
    const partly = snapshot(job.id, { statusDetail: "partially_refunded", amountRefunded: 200 });
    assert.equal(await record(partly), "anomaly");
    assert.deepEqual(await anomalies(job.id), [{ tipo: "MONTO_DISTINTO", mp_payment_id: partly.id }]);
    const state = await jobState(job.id);
    assert.deepEqual([state.estado, state.cobros], ["PENDIENTE_PAGO", 0]);
  });
});
