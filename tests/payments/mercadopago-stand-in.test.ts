// The MercadoPago stand-in driven through the payments adapter and the real SDK: if these pass, the
// stand-in speaks what `mercadopago@3.6.1` sends and the adapter reads what MercadoPago answers.
// Refunds and failures: mercadopago-stand-in-refunds.test.ts.

import assert from "node:assert/strict";
import {
  createPreference,
  getPayment,
  refundPayment,
  searchPaymentsByReference,
} from "../../functions/payments/mercadopago.ts";
import { verifyWebhookSignature } from "../../functions/payments/webhook-signature.ts";
import { pay, rejects, test } from "./mercadopago-harness.ts";

test("createPreference returns the same preference for the same idempotency key", async ({ mp, client, input }) => {
  const first = await createPreference(client, input, "pref-key-1");
  const again = await createPreference(client, input, "pref-key-1");
  assert.equal(again.id, first.id);
  assert.ok(first.initPoint.startsWith(`${mp.url}/checkout/v1/redirect?pref_id=`));
  const other = await createPreference(client, input, "pref-key-2");
  assert.notEqual(other.id, first.id);
  await rejects(createPreference(client, { ...input, unitPrice: 1 }, "pref-key-1"), "conflict");
  assert.equal(mp.store.preferences.size, 2);
  const stored = mp.store.preferences.get(first.id)!;
  assert.equal(stored.external_reference, input.externalReference);
  assert.equal(stored.notification_url, input.notificationUrl);
  assert.equal(stored.auto_return, "approved");
});

test("Pagar redirects to the success URL and sends a signed webhook", async ({ mp, receiver, client, input }) => {
  const pref = await createPreference(client, input, crypto.randomUUID());
  const page = await (await fetch(pref.initPoint)).text();
  assert.match(page, /Pagar/);
  assert.match(page, /Rechazar/);
  assert.match(page, /15\.000,50/);

  const back = await pay(pref.id, mp);
  assert.equal(`${back.origin}${back.pathname}`, input.backUrls.success);
  const paymentId = back.searchParams.get("payment_id")!;
  for (const [key, value] of Object.entries({ status: "approved", collection_status: "approved" })) {
    assert.equal(back.searchParams.get(key), value);
  }
  assert.equal(back.searchParams.get("collection_id"), paymentId);
  assert.equal(back.searchParams.get("external_reference"), input.externalReference);
  assert.equal(back.searchParams.get("preference_id"), pref.id);

  const [hook] = await receiver.waitFor(1);
  assert.equal(hook.url.searchParams.get("data.id"), paymentId);
  assert.equal(hook.url.searchParams.get("type"), "payment");
  assert.deepEqual(
    { action: hook.body.action, type: hook.body.type, data: hook.body.data, live_mode: hook.body.live_mode },
    { action: "payment.created", type: "payment", data: { id: paymentId }, live_mode: false },
  );
  const check = await verifyWebhookSignature(
    {
      xSignature: hook.headers.get("x-signature"),
      xRequestId: hook.headers.get("x-request-id"),
      dataId: hook.url.searchParams.get("data.id"),
    },
    { secret: mp.webhookSecret, toleranceSeconds: 300, now: Date.now },
  );
  assert.equal(check.ok, true, JSON.stringify(check));
  const forged = await verifyWebhookSignature(
    {
      xSignature: hook.headers.get("x-signature"),
      xRequestId: hook.headers.get("x-request-id"),
      dataId: "1",
    },
    { secret: mp.webhookSecret, toleranceSeconds: 300, now: Date.now },
  );
  assert.deepEqual(forged, { ok: false, reason: "signature_mismatch" });
});

test("getPayment and searchPaymentsByReference read the paid payment", async ({ mp, client, input }) => {
  const pref = await createPreference(client, input, crypto.randomUUID());
  const paymentId = (await pay(pref.id, mp)).searchParams.get("payment_id")!;
  const payment = await getPayment(client, paymentId);
  assert.deepEqual(
    {
      status: payment.status,
      amount: payment.amount,
      ref: payment.externalReference,
      currency: payment.currency,
    },
    { status: "approved", amount: 15000.5, ref: input.externalReference, currency: "ARS" },
  );
  assert.ok(payment.dateApproved);
  await pay(pref.id, mp, "reject");
  const found = await searchPaymentsByReference(client, input.externalReference);
  assert.deepEqual(found.map((p) => p.status), ["approved", "rejected"]);
  assert.deepEqual(await searchPaymentsByReference(client, "no-such-reference"), []);
  await rejects(getPayment(client, "999"), "not_found");
});

test("Rechazar redirects to the failure URL and notifies a rejected payment", async ({ mp, receiver, client, input }) => {
  const pref = await createPreference(client, input, crypto.randomUUID());
  const back = await pay(pref.id, mp, "reject");
  assert.equal(`${back.origin}${back.pathname}`, input.backUrls.failure);
  assert.equal(back.searchParams.get("status"), "rejected");
  const [hook] = await receiver.waitFor(1);
  const payment = await getPayment(client, hook.url.searchParams.get("data.id")!);
  assert.equal(payment.status, "rejected");
  await rejects(refundPayment(client, { paymentId: payment.id, idempotencyKey: "r" }), "bad_request");
});

test("a webhook answered 500 is retried until the receiver takes it", async ({ mp, receiver, client, input }) => {
  receiver.answers.push(500, 503);
  const pref = await createPreference(client, input, crypto.randomUUID());
  await pay(pref.id, mp);
  const hooks = await receiver.waitFor(3, 4000);
  assert.equal(new Set(hooks.map((h) => h.headers.get("x-request-id"))).size, 3);
  // The receiver records a request before its answer reaches the stand-in: wait for the third
  // delivery to settle (status recorded) instead of reading the log at once.
  const deliveries = await settledDeliveries(mp.url, 3);
  assert.deepEqual(deliveries.map((d) => d.status), [500, 503, 200]);
});

async function settledDeliveries(url: string, count: number, timeoutMs = 4000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const deliveries: { status: number | null; error?: string }[] =
      await (await fetch(`${url}/stand-in/webhooks`)).json();
    const settled = deliveries.length >= count && deliveries.every((d) => d.status !== null || d.error);
    if (settled || Date.now() > until) return deliveries;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("test hooks create a payment with any amount and resend its webhook", async ({ mp, receiver, client, input }) => {
  const pref = await createPreference(client, input, crypto.randomUUID());
  const created = await fetch(`${mp.url}/stand-in/payments`, {
    method: "POST",
    body: JSON.stringify({ preference_id: pref.id, transaction_amount: 1, notify: true }),
  });
  const { id } = await created.json();
  assert.equal((await getPayment(client, String(id))).amount, 1);
  await (await fetch(`${mp.url}/stand-in/notify`, {
    method: "POST",
    body: JSON.stringify({ payment_id: id }),
  }))
    .body?.cancel();
  const hooks = await receiver.waitFor(2);
  assert.deepEqual(hooks.map((h) => h.body.action), ["payment.created", "payment.updated"]);
});
