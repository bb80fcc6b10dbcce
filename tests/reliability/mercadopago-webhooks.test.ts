import assert from "node:assert/strict";
import { it } from "../support/env.ts";
import { mercadoPagoDownWhileWebhooksRetried, mercadoPagoWebhooksOutcome } from "./mercadopago-webhooks.ts";

it("MercadoPago down while its webhooks are retried: the job stays payable, reconciliation settles it once", async () => {
  const result = await mercadoPagoDownWhileWebhooksRetried();
  console.log(JSON.stringify(mercadoPagoWebhooksOutcome(result)));
  // Every notification was refused with a retryable 503 and changed nothing.
  assert.deepEqual(result.webhookAnswers, [503, 503, 503]);
  assert.equal(result.stateDown.estado, "PENDIENTE_PAGO");
  assert.equal(result.stateDown.pagos, 0);

  assert.equal(result.reconcile.status, 200, JSON.stringify(result.reconcile.body));
  assert.equal(result.reconcile.body.aplicados, 1);
  assert.equal(result.stateAfter.estado, "PAGADO");
  assert.equal(result.stateAfter.estado_escrow, "PAGADO_EN_ESCROW");
  assert.deepEqual([result.stateAfter.pagos, result.stateAfter.aplicados, result.stateAfter.cobros], [
    1,
    1,
    1,
  ]);
  assert.equal(result.again.aplicados, 0);
  assert.deepEqual(result.violations, []);
});
