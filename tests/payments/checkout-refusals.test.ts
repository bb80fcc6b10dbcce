// The checkout link refuses everything but a valid signature for that job and its client, and a
// MercadoPago outage answers 503 while the job stays payable (tests/reliability/mercadopago-checkout.ts:
// a stand-in of its own, so the fault switch does not disturb the parallel test files).

import assert from "node:assert/strict";
import { openCheckoutWhileMercadoPagoDown } from "../reliability/mercadopago-checkout.ts";
import { it } from "../support/env.ts";
import { checkoutPath, createJob, openCheckout, paymentsApi } from "./helpers.ts";

it("a tampered, expired, foreign or unsigned link is refused without revealing the job", async () => {
  const gateway = await paymentsApi();
  const job = await createJob();
  const other = await createJob();
  const good = await checkoutPath(job.id, job.client.id);
  const url = new URL(good, "http://x");

  const tamperedClient = new URL(url);
  tamperedClient.searchParams.set("cliente", other.client.id);
  const tamperedExpiry = new URL(url);
  tamperedExpiry.searchParams.set("exp", String(Number(url.searchParams.get("exp")) + 3600));
  const unsigned = new URL(url);
  unsigned.searchParams.delete("sig");
  const movedToOtherJob = good.replace(job.id, other.id);
  const expired = await checkoutPath(job.id, job.client.id, {
    ttlSeconds: 60,
    now: new Date(Date.now() - 3_600_000),
  });
  const forOtherClient = await checkoutPath(job.id, other.client.id);

  for (
    const path of [
      tamperedClient.pathname + tamperedClient.search,
      tamperedExpiry.pathname + tamperedExpiry.search,
      unsigned.pathname + unsigned.search,
      movedToOtherJob,
      expired,
      forOtherClient,
      `/api/v1/payments/checkout/${job.id}`,
    ]
  ) {
    const res = await gateway.json("GET", path);
    assert.equal(res.status, 403, path);
    assert.match(res.body.detail, /link de pago no es válido o venció/);
    assert.ok(!JSON.stringify(res.body).includes("15000"), "nothing about the job");
  }
  // A browser gets a Spanish page.
  const page = await gateway.fetch(unsigned.pathname + unsigned.search, { headers: { accept: "text/html" } });
  assert.equal(page.status, 403);
  assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  assert.match(await page.text(), /No pudimos abrir el pago/);

  // A valid signature for a job that does not exist → 404; a malformed id → 404.
  const ghost = crypto.randomUUID();
  assert.equal((await gateway.json("GET", await checkoutPath(ghost, job.client.id))).status, 404);
  assert.equal((await gateway.json("GET", "/api/v1/payments/checkout/not-a-uuid")).status, 404);
  // Still payable with the good link.
  assert.equal((await openCheckout(gateway, good)).status, 302);
});

it("a cancelled job is not payable (400)", async () => {
  const gateway = await paymentsApi();
  const job = await createJob();
  const { testSql } = await import("../support/accounts.ts");
  await testSql()`update public.trabajos set estado = 'CANCELADO' where id = ${job.id}`;
  const res = await gateway.json("GET", await checkoutPath(job.id, job.client.id));
  assert.equal(res.status, 400);
  assert.match(res.body.detail, /CANCELADO/);
});

it("MercadoPago down at checkout → 503; the job stays payable once it is back, and paid once", async () => {
  const result = await openCheckoutWhileMercadoPagoDown();
  assert.equal(result.down.status, 503);
  assert.match(result.down.detail ?? "", /MercadoPago no está disponible/);
  assert.equal(result.stateDown.estado, "PENDIENTE_PAGO");
  assert.equal(result.up.status, 302);
  assert.ok(result.up.location!.startsWith(`${result.mercadoPagoUrl}/checkout/v1/redirect`));
  // Payable means paid, once, with every invariant holding afterwards.
  assert.equal(result.stateAfter.estado, "PAGADO");
  assert.deepEqual([result.stateAfter.pagos, result.stateAfter.aplicados], [1, 1]);
  assert.deepEqual(result.violations, []);
});
