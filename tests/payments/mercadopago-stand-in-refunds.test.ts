// Refunds and failure handling of the payments adapter against the MercadoPago stand-in (real SDK).

import assert from "node:assert/strict";
import { createPreference, getPayment, refundPayment } from "../../functions/payments/mercadopago.ts";
import { pay, rejects, test } from "./mercadopago-harness.ts";

test("refunds: partial, replayed, beyond the rest, then full", async ({ mp, client, input }) => {
  const pref = await createPreference(client, input, crypto.randomUUID());
  const paymentId = (await pay(pref.id, mp)).searchParams.get("payment_id")!;
  const partial = await refundPayment(client, { paymentId, amount: 5000.25, idempotencyKey: "refund-1" });
  assert.equal(partial.amount, 5000.25);
  const replay = await refundPayment(client, { paymentId, amount: 5000.25, idempotencyKey: "refund-1" });
  assert.equal(replay.id, partial.id);
  let payment = await getPayment(client, paymentId);
  assert.deepEqual([payment.status, payment.statusDetail, payment.amountRefunded], [
    "approved",
    "partially_refunded",
    5000.25,
  ]);
  await rejects(
    refundPayment(client, { paymentId, amount: 10000.26, idempotencyKey: "refund-2" }),
    "bad_request",
  );
  const rest = await refundPayment(client, { paymentId, idempotencyKey: "refund-3" });
  assert.equal(rest.amount, 10000.25);
  payment = await getPayment(client, paymentId);
  assert.deepEqual([payment.status, payment.amountRefunded], ["refunded", 15000.5]);
  const list = await fetch(`${mp.url}/v1/payments/${paymentId}/refunds`, {
    headers: { authorization: `Bearer ${mp.accessToken}` },
  });
  assert.deepEqual((await list.json()).map((r: { amount: number }) => r.amount), [5000.25, 10000.25]);
});

test("MercadoPago down (503) is service_unavailable without SDK retries", async ({ mp, client, input }) => {
  await (await fetch(`${mp.url}/stand-in/fault`, { method: "POST", body: '{"unavailable":true}' })).body
    ?.cancel();
  const started = Date.now();
  const error = await rejects(createPreference(client, input, "k"), "service_unavailable");
  assert.ok(Date.now() - started < 900, "the SDK waits 1 s before its first retry");
  assert.match(error.detail, /MercadoPago no está disponible/);
  await rejects(getPayment(client, "1"), "service_unavailable");
});

test("nothing listening is service_unavailable; a bad token is bad_gateway", async ({ mp, client }) => {
  await rejects(getPayment({ ...client, baseUrl: "http://127.0.0.1:9" }, "1"), "service_unavailable");
  await rejects(getPayment({ ...client, accessToken: "TEST-wrong" }, "1"), "bad_gateway");
  const raw = await fetch(`${mp.url}/v1/payments/1`, { headers: { authorization: "Bearer nope" } });
  assert.equal(raw.status, 401);
  assert.deepEqual(await raw.json(), {
    message: "invalid access token",
    error: "unauthorized",
    status: 401,
    cause: [],
  });
});
