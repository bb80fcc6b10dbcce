// The refund.requested handler when MercadoPago fails: the attempt is counted with its error,
// the delivery fails (QStash redelivers), and the redelivery refunds once. Driven through the
// shared receiver with its own stand-in and consumer name, so the run's functions host (which
// handles the run's real refund.requested events) is not involved: the refund row is inserted
// without emitting an event.

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

it("a refund MercadoPago cannot take now is counted, retried, and done exactly once", async () => {
  const mp = startMercadoPagoStandIn({ retryDelaysMs: [] });
  const platform = testPlatform("payments", {
    MERCADOPAGO_BASE_URL: mp.url,
    MERCADOPAGO_ACCESS_TOKEN: mp.accessToken,
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
    const deliver = () =>
      receiveEvent(platform.db, {
        consumer: "payments-refund-test",
        handlers: paymentEventHandlers(platform.db, settings),
        log: platform.log,
      }, event);

    await (await fetch(`${mp.url}/stand-in/fault`, { method: "POST", body: '{"unavailable":true}' })).body
      ?.cancel();
    await assert.rejects(deliver(), /MercadoPago no está disponible/);
    await assert.rejects(deliver(), /MercadoPago no está disponible/);
    let [row] =
      await testSql()`select estado, intentos, last_error from public.reembolsos where id = ${refund.id}`;
    assert.deepEqual([row.estado, row.intentos], ["PENDIENTE", 2]);
    assert.match(row.last_error, /no está disponible/);

    await (await fetch(`${mp.url}/stand-in/fault`, { method: "POST", body: '{"unavailable":false}' })).body
      ?.cancel();
    assert.equal(await deliver(), "processed");
    assert.equal(await deliver(), "duplicate");
    [row] = await testSql()`select estado, mp_refund_id from public.reembolsos where id = ${refund.id}`;
    assert.equal(row.estado, "COMPLETADO");
    const refunds = await (await fetch(`${mp.url}/stand-in/refunds`)).json();
    assert.equal(refunds.length, 1);
    assert.equal(String(refunds[0].id), row.mp_refund_id);
    assert.equal(refunds[0].amount, 2000);
    const [{ saldo }] = await testSql()`select public.escrow_saldo(${job.id})::float8 as saldo`;
    assert.equal(saldo, 0);
    assert.deepEqual(await invariantViolations(job.id), []);
  } finally {
    await platform.close();
    await mp.stop();
  }
});
