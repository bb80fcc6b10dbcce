import assert from "node:assert/strict";
import { it } from "../support/env.ts";
import { countByStatus } from "./traffic.ts";
import { postgresRestartOutcome, restartPostgresMidTraffic } from "./postgres-restart.ts";

it("PostgreSQL restarted mid-traffic: 503 with Retry-After (never 500), recovery within seconds, nothing half-written", async () => {
  const result = await restartPostgresMidTraffic();
  console.log(
    JSON.stringify({
      ...postgresRestartOutcome(result),
      counts: countByStatus(result.answers),
      failures: countByStatus(result.failures),
      downMs: result.downMs,
    }),
  );
  const unclean = result.answers.filter((a) =>
    a.status !== 200 && a.status !== 201 &&
    !(a.status === 503 && a.code === "service_unavailable" && a.retryAfter)
  );
  assert.deepEqual(unclean, [], JSON.stringify(countByStatus(result.answers)));
  assert.ok(result.failures.length > 0, "some requests met the outage");
  assert.notEqual(result.recoveryMs, null, "a read succeeded again after PostgreSQL was back");

  // Health says so while it lasts, and no longer after.
  assert.equal(result.healthDown.users.status, 503);
  assert.equal(result.healthDown.users.body.checks.db.status, "error");
  assert.equal(result.healthDown.gateway.estado_general, "degraded");
  assert.equal(result.healthAfter.status, 200);

  assert.deepEqual(result.halfWritten, []);
  assert.deepEqual(result.violations, []);
  assert.equal(postgresRestartOutcome(result).invariantsHeld, true);
});
