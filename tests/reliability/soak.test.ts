// The soak in CI: the workload `deno task soak` runs (scripts/soak/workload.ts), for SOAK_SECONDS
// (default 30) against the running test stack — whole marketplace flows from simulated clients
// and professionals, several in flight. Every answer is one the workload expects, and every
// invariant holds for the rows it created (other test files write the same database meanwhile).
import assert from "node:assert/strict";
import { RouteStats } from "../../scripts/soak/route-stats.ts";
import { prepareSoak } from "../../scripts/soak/workload.ts";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { settledViolations } from "../support/invariants.ts";
import { paymentsApi } from "../payments/helpers.ts";

const seconds = Number(Deno.env.get("SOAK_SECONDS") ?? 30);

it(`${seconds} s of whole marketplace flows: no unexpected answer, every invariant holds for the soak's rows`, async () => {
  const signUp = new RouteStats();
  const soak = await prepareSoak(await paymentsApi(), signUp, { users: 8, concurrency: 4, log: () => {} });
  assert.equal(signUp.errors, 0, JSON.stringify(signUp.summary()));
  // The first flows load firebase-admin and the MercadoPago SDK (a cold chat may answer 503 and
  // be retried, as the helpers do): they run before the load that is judged.
  const warmup = await soak.run(3000, new RouteStats());
  assert.deepEqual(warmup.failures, []);

  const stats = new RouteStats();
  const load = await soak.run(seconds * 1000, stats);
  assert.deepEqual(load.failures, []);
  assert.ok(load.flows > 0, "no flow completed");
  const unexpected = stats.summary().filter((r) => Object.keys(r.errors).length);
  assert.deepEqual(unexpected.map((r) => [r.route, r.errors]), []);
  // The second review of each job, asked for on purpose, was refused every time.
  assert.equal(stats.expected, load.flows);
  assert.deepEqual(await settledViolations(testSql(), { refs: soak.refs(), timeoutMs: 30_000 }), []);
});
