// The refund.requested handler against MercadoPago's possible answers: unavailable (counted,
// retried, done once), "in_process" (not booked; a later delivery asks again), "rejected" and a
// refund for less than owed (FALLIDO, never booked), and a pool too small to hold a connection
// while MercadoPago answers. Driven through the shared receiver with its own stand-in and consumer
// name, so the run's functions host (which handles the run's real refund.requested events) is not
// involved: the refund row is inserted without emitting an event.

import assert from "node:assert/strict";
import { receiveEvent } from "../../shared/event-receiver.ts";
import { recordPayment } from "../../functions/payments/apply-payment.ts";
import { getPayment } from "../../functions/payments/mercadopago.ts";
import { paymentEventHandlers } from "../../functions/payments/refunds.ts";
import { paymentSettings } from "../../functions/payments/settings.ts";
import { startMercadoPagoStandIn } from "../fakes/mercadopago.ts";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { createJob, invariantViolations } from "./helpers.ts";
import { testPlatform } from "../support/platform.ts";

type StandIn = ReturnType<typeof startMercadoPagoStandIn>;
type Scenario = {
  mp: StandIn;
  jobId: string;
  paymentId: string;
  refundId: string;
  deliver(): Promise<string>;
  row(): Promise<
    { estado: string; intentos: number; last_error: string | null; mp_refund_id: string | null }
  >;
  saldo(): Promise<number>;
};

/**
 * A job paid 2000 in escrow, cancelled with a 2000 refund owed, and its refund.requested event;
 * after `run`, the ledger's invariants as the refund's end state implies.
 */
async function withRefundOwed(overrides: Record<string, string>, run: (s: Scenario) => Promise<void>) {
  const mp = startMercadoPagoStandIn({ retryDelaysMs: [] });
  const platform = testPlatform("payments", {
    MERCADOPAGO_BASE_URL: mp.url,
    MERCADOPAGO_ACCESS_TOKEN: mp.accessToken,
    ...overrides,
  });
  try {
    const settings = paymentSettings(platform.config);
    const job = await createJob(2000);
    const created = await (await fetch(`${mp.url}/stand-in/payments`, {
      method: "POST",
      body: JSON.stringify({ external_reference: job.id, transaction_amount: 2000 }),
    })).json();
    const payment = await getPayment(settings.client!, String(created.id));
    const applied = await platform.db.asService((tx) => recordPayment(tx, payment, "webhook"));
    assert.equal(applied.outcome, "applied");
    const [refund] = await testSql().begin(async (tx) => {
      await tx`update public.trabajos set estado = 'CANCELADO', estado_escrow = 'CANCELADO_REEMBOLSADO'
        where id = ${job.id}`;
      return await tx`insert into public.reembolsos (trabajo_id, mp_payment_id, monto, motivo)
        values (${job.id}, ${payment.id}, 2000, 'Cancelado') returning id`;
    });
    const event = {
      id: crypto.randomUUID(),
      type: "refund.requested",
      aggregate_id: job.id,
      producer: "payments",
      payload: { reembolso_id: refund.id, trabajo_id: job.id, monto: 2000 },
      created_at: new Date().toISOString(),
    };
    await run({
      mp,
      jobId: job.id,
      paymentId: payment.id,
      refundId: refund.id,
      deliver: () =>
        receiveEvent(platform.db, {
          consumer: "payments-refund-test",
          handlers: paymentEventHandlers(platform.db, settings),
          log: platform.log,
        }, event),
      row: async () => {
        const [row] = await testSql()`select estado, intentos, last_error, mp_refund_id
          from public.reembolsos where id = ${refund.id}`;
        return row as never;
      },
      saldo: async () => {
        const [{ saldo }] = await testSql()`select public.escrow_saldo(${job.id})::float8 as saldo`;
        return saldo;
      },
    });
    // A FALLIDO refund leaves the money held on a cancelled job: the invariant check shows it to
    // the operators until one of them settles it. Any other end state breaks no invariant.
    const [{ estado }] = await testSql()`select estado from public.reembolsos where id = ${refund.id}`;
    assert.deepEqual(
      await invariantViolations(job.id),
      estado === "FALLIDO" ? [{ problema: "escrow retenido en un trabajo cerrado", referencia: job.id }] : [],
    );
  } finally {
    await platform.close();
    await mp.stop();
  }
}

const hook = async (mp: StandIn, path: string, body: unknown) => {
  const response = await fetch(`${mp.url}/stand-in/${path}`, { method: "POST", body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.text());
};
const refundsAt = async (mp: StandIn) => await (await fetch(`${mp.url}/stand-in/refunds`)).json();

it("a refund MercadoPago cannot take now is counted, retried, and done exactly once", async () => {
  await withRefundOwed({}, async (s) => {
    await hook(s.mp, "fault", { unavailable: true });
    await assert.rejects(s.deliver(), /MercadoPago no está disponible/);
    await assert.rejects(s.deliver(), /MercadoPago no está disponible/);
    let row = await s.row();
    assert.deepEqual([row.estado, row.intentos], ["PENDIENTE", 2]);
    assert.match(row.last_error!, /no está disponible/);

    await hook(s.mp, "fault", { unavailable: false });
    assert.equal(await s.deliver(), "processed");
    assert.equal(await s.deliver(), "duplicate");
    row = await s.row();
    assert.equal(row.estado, "COMPLETADO");
    const refunds = await refundsAt(s.mp);
    assert.equal(refunds.length, 1);
    assert.equal(String(refunds[0].id), row.mp_refund_id);
    assert.equal(refunds[0].amount, 2000);
    assert.equal(await s.saldo(), 0);
  });
});

it("a refund MercadoPago answers 'in_process' is not booked; a later delivery asks for it and books it once approved", async () => {
  await withRefundOwed({}, async (s) => {
    await hook(s.mp, "fault", { refund_status: "in_process" });
    await assert.rejects(s.deliver(), /aún no confirmó el reembolso \(in_process\)/);
    let row = await s.row();
    assert.equal(row.estado, "PENDIENTE");
    assert.equal(await s.saldo(), 2000, "the money is still held: nothing went back yet");
    const [made] = await refundsAt(s.mp);
    assert.equal(String(made.id), row.mp_refund_id, "the refund MercadoPago made is remembered");

    // Asked again, not made again: still in process.
    await assert.rejects(s.deliver(), /in_process/);
    assert.equal((await refundsAt(s.mp)).length, 1);

    await hook(s.mp, "refund-status", { refund_id: made.id, status: "approved" });
    assert.equal(await s.deliver(), "processed");
    row = await s.row();
    assert.equal(row.estado, "COMPLETADO");
    assert.equal(row.mp_refund_id, String(made.id));
    assert.equal((await refundsAt(s.mp)).length, 1, "one refund at MercadoPago in all");
    assert.equal(await s.saldo(), 0);
  });
});

it("a refund MercadoPago rejects is FALLIDO with the reason, and the money stays held", async () => {
  await withRefundOwed({}, async (s) => {
    await hook(s.mp, "fault", { refund_status: "in_process" });
    await assert.rejects(s.deliver(), /in_process/);
    const [made] = await refundsAt(s.mp);
    await hook(s.mp, "refund-status", { refund_id: made.id, status: "rejected" });
    await assert.rejects(s.deliver(), /no hizo el reembolso \(rejected\)/);
    const row = await s.row();
    assert.equal(row.estado, "FALLIDO");
    assert.match(row.last_error!, /rejected/);
    assert.equal(await s.saldo(), 2000);
    // A redelivery changes nothing: the refund is no longer pending.
    assert.equal(await s.deliver(), "processed");
    assert.equal((await s.row()).estado, "FALLIDO");
  });
});

it("a full refund that gives back less than owed (part refunded on MercadoPago's side) is FALLIDO, not booked as all", async () => {
  await withRefundOwed({}, async (s) => {
    // Someone refunded 500 on MercadoPago's site: what is left of the payment is 1500.
    const outside = await fetch(`${s.mp.url}/v1/payments/${s.paymentId}/refunds`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${s.mp.accessToken}`,
        "content-type": "application/json",
        "x-idempotency-key": crypto.randomUUID(),
      },
      body: JSON.stringify({ amount: 500 }),
    });
    assert.equal(outside.status, 201, await outside.text());
    await assert.rejects(s.deliver(), /devolvió \$ 1500\.00 de \$ 2000\.00/);
    const row = await s.row();
    assert.equal(row.estado, "FALLIDO");
    assert.ok(row.mp_refund_id, "the refund MercadoPago made is kept for the operator");
    assert.equal(await s.saldo(), 2000, "nothing booked as refunded");
  });
});

it("while MercadoPago answers, no connection is held: a pool of one still records the failure", async () => {
  await withRefundOwed({ DB_POOL_MAX: "1" }, async (s) => {
    await hook(s.mp, "fault", { unavailable: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error("the handler waited for a second connection")), 10_000);
    });
    try {
      await assert.rejects(Promise.race([s.deliver(), hung]), /MercadoPago no está disponible/);
    } finally {
      clearTimeout(timer);
    }
    const row = await s.row();
    assert.deepEqual([row.estado, row.intentos], ["PENDIENTE", 1]);
  });
});

it("the return of a payment we could not apply, rejected by MercadoPago, is FALLIDO and its case stays open", async () => {
  const mp = startMercadoPagoStandIn({ retryDelaysMs: [] });
  const platform = testPlatform("payments", {
    MERCADOPAGO_BASE_URL: mp.url,
    MERCADOPAGO_ACCESS_TOKEN: mp.accessToken,
  });
  try {
    const settings = paymentSettings(platform.config);
    const job = await createJob(900);
    const created = await (await fetch(`${mp.url}/stand-in/payments`, {
      method: "POST",
      body: JSON.stringify({ external_reference: job.id, transaction_amount: 900 }),
    })).json();
    const paymentId = String(created.id);
    // The state recordPayment leaves for a late payment, without the event (this test delivers it).
    const [devolucion] = await testSql().begin(async (tx) => {
      await tx`update public.trabajos set estado = 'CANCELADO', estado_escrow = 'CANCELADO_REEMBOLSADO'
        where id = ${job.id}`;
      await tx`insert into public.pagos (mp_payment_id, trabajo_id, external_reference, status, monto)
        values (${paymentId}, ${job.id}, ${job.id}, 'approved', 900)`;
      await tx`insert into public.pago_anomalias (tipo, mp_payment_id, trabajo_id)
        values ('PAGO_TARDIO', ${paymentId}, ${job.id})`;
      return await tx`insert into public.devoluciones (mp_payment_id, trabajo_id, monto, motivo)
        values (${paymentId}, ${job.id}, 900, 'El pago llegó cuando el trabajo ya estaba cancelado') returning id`;
    });
    await hook(mp, "fault", { refund_status: "rejected" });
    const deliver = () =>
      receiveEvent(platform.db, {
        consumer: "payments-refund-test",
        handlers: paymentEventHandlers(platform.db, settings),
        log: platform.log,
      }, {
        id: crypto.randomUUID(),
        type: "refund.requested",
        aggregate_id: job.id,
        producer: "payments",
        payload: { devolucion_id: devolucion.id, trabajo_id: job.id, monto: 900 },
        created_at: new Date().toISOString(),
      });
    await assert.rejects(deliver(), /no hizo el reembolso \(rejected\)/);
    const [row] = await testSql()`select estado, intentos, last_error, mp_refund_id from public.devoluciones
      where id = ${devolucion.id}`;
    assert.deepEqual([row.estado, row.intentos], ["FALLIDO", 1]);
    assert.match(row.last_error, /rejected/);
    assert.ok(row.mp_refund_id, "the refund MercadoPago refused is kept for the operator");
    const [open] = await testSql()`select estado from public.pago_anomalias
      where mp_payment_id = ${paymentId} and tipo = 'PAGO_TARDIO'`;
    assert.equal(open.estado, "ABIERTA");
    assert.equal((await refundsAt(mp)).length, 1);
  } finally {
    await platform.close();
    await mp.stop();
  }
});
