import assert from "node:assert/strict";
import { ruleRunner } from "./rule-test-kit.ts";

const run = ruleRunner({ producer: "payments" });

const job = { trabajo_id: "t1", cliente_id: "cli", profesional_id: "pro" };

Deno.test("payment.approved gives the client an in-app receipt with the operation number", async () => {
  const drafts = await run("payment.approved", { ...job, monto: 15000.5, mp_payment_id: "123" });
  assert.equal(drafts.length, 1);
  assert.equal(drafts[0].to, "cli");
  assert.deepEqual(drafts[0].channels, ["in_app"]);
  assert.equal(drafts[0].categoria, "pagos");
  assert.match(drafts[0].mensaje, /aprobó tu pago de \$15000\.50 \(operación 123\)/);
  assert.deepEqual(drafts[0].data, { trabajo_id: "t1", mp_payment_id: "123" });
});

Deno.test("payment.rejected asks the client to try again; refund.completed confirms the amount", async () => {
  const [rejected] = await run("payment.rejected", { ...job, monto: 100, status: "rejected" });
  assert.equal(rejected.to, "cli");
  assert.equal(rejected.titulo, "Tu pago no se aprobó");
  assert.match(rejected.mensaje, /intentarlo otra vez/);
  const [refund] = await run("refund.completed", { ...job, monto: "2500", reembolso_id: "r1" });
  assert.equal(refund.to, "cli");
  assert.match(refund.mensaje, /Te reembolsamos \$2500\.00/);
  assert.deepEqual(refund.data, { trabajo_id: "t1", reembolso_id: "r1" });
});
