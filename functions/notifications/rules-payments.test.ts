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

Deno.test("a payment we could not apply: the client is told it is being returned, then that it was", async () => {
  const returned = { ...job, monto: 700, devolucion_id: "d1", mp_payment_id: "55" };
  const [requested] = await run("refund.requested", {
    ...returned,
    motivo: "El trabajo ya estaba pagado con otro pago",
  });
  assert.equal(requested.to, "cli");
  assert.equal(requested.tipo, "PAGO_DEVUELTO");
  assert.match(requested.mensaje, /pago de \$700\.00 que no podemos aplicar \(el trabajo ya estaba pagado/);
  assert.deepEqual(requested.data, { trabajo_id: "t1", devolucion_id: "d1", mp_payment_id: "55" });
  const [done] = await run("refund.completed", { ...returned, mp_refund_id: "r9" });
  assert.equal(done.titulo, "Pago devuelto");
  assert.match(done.mensaje, /Te devolvimos \$700\.00/);
  assert.deepEqual(done.data, { trabajo_id: "t1", devolucion_id: "d1" });
  // A job's refund is announced by its cancellation or dispute, not by refund.requested.
  assert.deepEqual(await run("refund.requested", { ...job, monto: 700, reembolso_id: "r1" }), []);
});
