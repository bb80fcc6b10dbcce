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

it("approved → in_mediation → approved of the applied payment changes nothing: no return, no case", async () => {
  await withPlatform(async (record) => {
    const job = await createJob(1200);
    const approved = snapshot(job.id, {});
    assert.equal(await record(approved), "applied");
    assert.equal(
      await record({ ...approved, status: "in_mediation", statusDetail: "in_mediation" }),
      "recorded",
    );
    assert.equal(await record({ ...approved, statusDetail: "accredited" }), "recorded");
    const [{ n }] = await testSql()`select count(*)::int as n from public.devoluciones
      where mp_payment_id = ${approved.id}`;
    assert.equal(n, 0, "the payment the job holds is never returned");
    assert.deepEqual(await anomalies(job.id), []);
    const state = await jobState(job.id);
    assert.deepEqual([state.estado, state.cobros, state.saldo], ["PAGADO", 1, 1200]);
  });
});

it("the payment a job holds without pagos.aplicado_at (recorded before it, or imported) is never returned", async () => {
  await withPlatform(async (record) => {
    const job = await createJob(1200);
    const approved = snapshot(job.id, {});
    assert.equal(await record(approved), "applied");
    await testSql()`update public.pagos set aplicado_at = null where mp_payment_id = ${approved.id}`;
    assert.equal(
      await record({ ...approved, status: "in_mediation", statusDetail: "in_mediation" }),
      "recorded",
    );
    assert.equal(await record(approved), "recorded");
    const [{ n }] = await testSql()`select count(*)::int as n from public.devoluciones
      where mp_payment_id = ${approved.id}`;
    assert.equal(n, 0);
    assert.deepEqual(await anomalies(job.id), []);
    assert.equal((await jobState(job.id)).estado, "PAGADO");
  });
});

it("a late payment seen approved again after in_mediation is returned once and opens no second case", async () => {
  await withPlatform(async (record) => {
    const job = await createJob(1200);
    assert.equal(await record(snapshot(job.id, {})), "applied");
    // A simulated id: its return completes without MercadoPago (refunds.ts), so the stack's own
    // refund handler has nothing to fail on.
    const late = snapshot(job.id, { id: `SIM-${crypto.randomUUID()}` });
    assert.equal(await record(late), "anomaly");
    await testSql()`update public.pago_anomalias set estado = 'RESUELTA', resuelta_at = now()
      where mp_payment_id = ${late.id}`;
    assert.equal(await record({ ...late, status: "in_mediation", statusDetail: "in_mediation" }), "recorded");
    assert.equal(await record(late), "recorded");
    const [{ n }] = await testSql()`select count(*)::int as n from public.devoluciones
      where mp_payment_id = ${late.id}`;
    assert.equal(n, 1);
    const open = await testSql()`select 1 from public.pago_anomalias where mp_payment_id = ${late.id}
      and estado = 'ABIERTA'`;
    assert.equal(open.length, 0);
  });
});

it("the database refuses to return the payment a job holds, whoever asks", async () => {
  const job = await createJob(1200);
  const platform = testPlatform("payments");
  try {
    const held = snapshot(job.id, {});
    await platform.db.asService((tx) => recordPayment(tx, held, "conciliacion"));
    const refused =
      await testSql()`select * from public.pago_solicitar_devolucion(${held.id}, ${job.id}, 1200, 'x')`
        .catch((e) => e);
    assert.equal(refused.code, "PT400");
  } finally {
    await platform.close();
  }
});

it("two approved payments of one job recorded at once: one applied, the other a late payment, no deadlock", async () => {
  const platform = testPlatform("payments");
  try {
    for (let round = 0; round < 10; round++) {
      const job = await createJob(1200);
      const [a, b] = [snapshot(job.id, {}), snapshot(job.id, {})];
      // Each inserts its pagos row (a key-share lock on the job through the foreign key), then
      // marks the job paid (FOR UPDATE): without a lock on the job first, each waited on the other.
      const outcomes = await Promise.all(
        [a, b].map((p) => platform.db.asService((tx) => recordPayment(tx, p, "webhook"))),
      );
      assert.deepEqual(outcomes.map((o) => o.outcome).sort(), ["anomaly", "applied"], `round ${round}`);
      assert.equal((await jobState(job.id)).cobros, 1);
      const late = outcomes[0].outcome === "applied" ? b : a;
      assert.deepEqual(await anomalies(job.id), [{ tipo: "PAGO_TARDIO", mp_payment_id: late.id }]);
    }
  } finally {
    await platform.close();
  }
});
