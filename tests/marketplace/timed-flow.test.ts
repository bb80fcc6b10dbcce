// The flow the flows benchmark (and the soak) repeats, run once: people who signed up through the
// API (register, login), a professional onboarded through it (location, KYC approved by an admin),
// then every step from search to review, each timed.
import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { FLOW_STEPS, onboardPro, runFlow, signUp } from "../support/marketplace-flow.ts";
import { createTrade, isolatedPoint } from "../professionals/helpers.ts";
import { paymentsApi } from "../payments/helpers.ts";
import { violationsOf } from "../payments/payouts-helpers.ts";

it("signed-up people go from search to review; each step is timed and the job ends approved", async () => {
  const gw = await paymentsApi();
  const trade = await createTrade();
  const admin = await createAccount("ADMIN");
  const client = await signUp(gw, "CLIENTE");
  const signedPro = await signUp(gw, "PROFESIONAL", trade.id);
  for (const ms of [client.registerMs, client.loginMs, signedPro.registerMs, signedPro.loginMs]) {
    assert.ok(ms > 0);
  }
  const pro = await onboardPro(gw, signedPro.account, { oficioId: trade.id, at: isolatedPoint(), admin });

  const { times, jobId } = await runFlow(gw, { client: client.account, pro });

  assert.deepEqual(Object.keys(times).sort(), [...FLOW_STEPS].sort());
  for (const step of FLOW_STEPS) assert.ok(times[step] > 0, `${step}: ${times[step]}`);
  const [job] = await testSql()`select t.estado::text, t.estado_escrow::text, t.cliente_id,
      (select r.rating from public.resenas r where r.trabajo_id = t.id) as rating
    from public.trabajos t where t.id = ${jobId}`;
  assert.deepEqual({ ...job }, {
    estado: "APROBADO",
    estado_escrow: "LIBERADO",
    cliente_id: client.account.id,
    rating: 5,
  });
  assert.deepEqual(await violationsOf([jobId, pro.id]), []);
});
