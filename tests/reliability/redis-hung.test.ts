import assert from "node:assert/strict";
import { REDIS_BREAKER } from "../../shared/redis-breaker.ts";
import { it } from "../support/env.ts";
import { EXPECTED_OPEN, FAST_MS, hangRedis, redisHungOutcome } from "./redis-hung.ts";

it("Redis hung: after a few timeouts the breaker opens and requests answer at once, with the outage answers; the probe closes it once Redis is back", async () => {
  const result = await hangRedis();
  console.log(JSON.stringify({ ...redisHungOutcome(result), tripping: result.tripping, open: result.open }));
  // Until the breaker opens each session check waits out the 2 s command timeout (then asks Postgres).
  assert.equal(result.tripping.length, REDIS_BREAKER.failuresToOpen);
  for (const slow of result.tripping) assert.deepEqual([slow.status, slow.ms >= 1900], [200, true]);
  // Open: the same answers as with Redis down, without the wait (register hashes a password: not timed).
  const statuses = Object.fromEntries(Object.entries(result.open).map(([k, v]) => [k, v.status]));
  assert.deepEqual(statuses, EXPECTED_OPEN);
  for (const [what, { ms }] of Object.entries(result.open)) {
    if (what !== "register") assert.ok(ms < FAST_MS, `${what} took ${ms} ms`);
  }
  assert.equal(result.healthRedis.status, "error");
  assert.match(result.healthRedis.error ?? "", /redis circuit open/);
  // Redis answers again: within the open period the probe goes through and closes the breaker.
  assert.notEqual(result.recoveryMs, null);
  assert.ok(result.recoveryMs! <= REDIS_BREAKER.openMs + 1000, `recovered after ${result.recoveryMs} ms`);
  assert.deepEqual(result.after, { signedInRead: 200, bannedRead: 401, login: 401 });
  assert.deepEqual(result.violations, []);
});
