import assert from "node:assert/strict";
import { PEOPLE, ruleRunner } from "./rule-test-kit.ts";

const run = ruleRunner({
  people: [PEOPLE.pro, PEOPLE.adm],
  admins: [PEOPLE.adm],
  producer: "payments",
  aggregateId: "r1",
});

Deno.test("payout.requested: a receipt to the professional and a task for each admin, in Spanish", async () => {
  const drafts = await run("payout.requested", { retiro_id: "r1", usuario_id: "pro", monto: 1500 });
  assert.deepEqual(drafts.map((d) => [d.to, d.tipo, d.categoria]), [
    ["pro", "RETIRO_SOLICITADO", "pagos"],
    ["adm", "RETIRO_PENDIENTE", "pagos"],
  ]);
  assert.match(drafts[0].mensaje, /retirar \$1500\.00/);
  assert.equal(drafts[1].mensaje, "Pablo Plomero pidió retirar $1500.00.");
  assert.deepEqual(drafts[1].data, { retiro_id: "r1" });
});

Deno.test("payout.approved, payout.paid and payout.rejected tell the professional", async () => {
  const [approved] = await run("payout.approved", { retiro_id: "r1", usuario_id: "pro", monto: "2000.5" });
  assert.equal(approved.titulo, "Retiro aprobado");
  assert.match(approved.mensaje, /\$2000\.50/);
  const [paid] = await run("payout.paid", {
    retiro_id: "r1",
    usuario_id: "pro",
    monto: 2000,
    destino: "****5201",
  });
  assert.equal(paid.tipo, "RETIRO_PAGADO");
  assert.equal(paid.mensaje, "Transferimos $2000.00 a tu cuenta ****5201.");
  const [rejected] = await run("payout.rejected", {
    retiro_id: "r1",
    profesional_id: "pro",
    monto: 2000,
    motivo: "CBU de otra persona",
  });
  assert.match(rejected.mensaje, /motivo: CBU de otra persona/);
  assert.match(rejected.mensaje, /vuelve a tu saldo disponible/);
  assert.deepEqual(await run("payout.paid", { usuario_id: "nadie", monto: 1 }), []);
});
