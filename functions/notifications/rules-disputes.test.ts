import assert from "node:assert/strict";
import { PEOPLE, ruleRunner } from "./rule-test-kit.ts";

const run = ruleRunner({ people: [PEOPLE.cli, PEOPLE.pro, PEOPLE.adm], admins: [PEOPLE.adm] });
const base = {
  trabajo_id: "t1",
  disputa_id: "d1",
  cliente_id: "cli",
  profesional_id: "pro",
  precio_final: 10000,
};

Deno.test("dispute.opened tells the other party and the admins, naming who opened it", async () => {
  const drafts = await run("dispute.opened", { ...base, abierta_por: "cli" });
  assert.deepEqual(drafts.map((d) => d.to), ["pro", "adm"]);
  assert.match(drafts[0].mensaje, /^Ana Cliente abrió una disputa/);
  assert.deepEqual(drafts[0].data, { trabajo_id: "t1", disputa_id: "d1" });
});

Deno.test("dispute.message goes to the parties except its author", async () => {
  assert.deepEqual(
    (await run("dispute.message", { ...base, autor_id: "pro", preview: "Fui" })).map((d) => d.to),
    [
      "cli",
    ],
  );
  assert.deepEqual((await run("dispute.message", { ...base, autor_id: "adm" })).map((d) => d.to), [
    "cli",
    "pro",
  ]);
});

Deno.test("dispute.resolved tells both parties the outcome with the amounts", async () => {
  const drafts = await run("dispute.resolved", {
    ...base,
    resolucion: "REEMBOLSO_PARCIAL",
    monto_reembolso: 3000,
    monto_liberado: 5600,
    nota: "Faltó una parte",
  });
  assert.deepEqual(drafts.map((d) => d.to), ["cli", "pro"]);
  assert.match(drafts[0].mensaje, /reembolsan \$3000\.00 al cliente y se liberan \$5600\.00 al profesional/);
});

Deno.test("timer events: expiry to both, auto-approval and reminders to the client, in Spanish", async () => {
  assert.deepEqual((await run("job.expired", base)).map((d) => d.to), ["cli", "pro"]);
  assert.deepEqual((await run("offer.expired", base)).map((d) => d.to), ["pro", "cli"]);
  const auto = await run("job.auto_approved", base);
  assert.deepEqual(auto.map((d) => d.to), ["cli"]);
  assert.match(auto[0].titulo, /aprobado automáticamente/);
  const reminder = await run("job.payment_reminder", { ...base, vence_el: "2026-12-03T12:00:00.000Z" });
  assert.equal(reminder[0].categoria, "pagos");
  assert.match(reminder[0].mensaje, /se cancela el /);
  assert.equal((await run("job.approval_reminder", base))[0].tipo, "RECORDATORIO_APROBACION");
});
