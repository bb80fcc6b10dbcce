import assert from "node:assert/strict";
import { it } from "../support/env.ts";
import { gatewayKillOutcome, killGatewayDuringFlow, KILLS } from "./gateway-sigkill.ts";

it("the functions host SIGKILLed mid-step during the whole flow: every step resumes, each done exactly once, invariants hold", async () => {
  const result = await killGatewayDuringFlow();
  console.log(JSON.stringify({ ...gatewayKillOutcome(result), kills: result.kills }));
  assert.deepEqual(result.kills.map((k) => k.step), Object.keys(KILLS));
  assert.deepEqual(result.counts, { ofertas: 1, trabajos: 1, pagos: 1, resenas: 1, retiros: 1 });
  assert.deepEqual(result.job, { estado: "APROBADO", estado_escrow: "LIBERADO" });
  assert.equal(result.retiro, "PAGADO");
  assert.deepEqual(result.violations, []);
});
