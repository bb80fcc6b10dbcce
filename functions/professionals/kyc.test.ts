import assert from "node:assert/strict";
import { canTransition, KYC_STATES, KYC_TRANSITIONS, submitRefused } from "./kyc.ts";

Deno.test("a professional may send documents only from PENDIENTE or RECHAZADO", () => {
  assert.deepEqual(KYC_STATES.filter((s) => canTransition("submit", s)), ["PENDIENTE", "RECHAZADO"]);
  assert.equal(KYC_TRANSITIONS.submit.to, "EN_REVISION");
});

Deno.test("admins approve or reject from any state (operator override)", () => {
  for (const state of KYC_STATES) {
    assert.ok(canTransition("approve", state));
    assert.ok(canTransition("reject", state));
  }
  assert.deepEqual(Object.values(KYC_TRANSITIONS).map((t) => t.event), [
    "kyc.submitted",
    "kyc.approved",
    "kyc.rejected",
  ]);
});

Deno.test("a refused submission is a 400 that names the state", () => {
  const error = submitRefused("EN_REVISION");
  assert.equal(error.status, 400);
  assert.match(error.detail, /EN_REVISION/);
});
