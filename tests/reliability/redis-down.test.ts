import assert from "node:assert/strict";
import { it } from "../support/env.ts";
import { redisDownOutcome, takeRedisDown } from "./redis-down.ts";

it("Redis down: signed-in users keep working, a banned or logged-out token stays out, login and bans answer 503, limits open", async () => {
  const result = await takeRedisDown();
  console.log(JSON.stringify({ ...redisDownOutcome(result), during: result.during, hung: result.hung }));
  const { during } = result;
  // Sessions are checked in Postgres: nobody is locked out, nobody revoked gets in.
  assert.equal(during.signedInRead.status, 200);
  assert.equal(during.bannedRead.status, 401);
  assert.equal(during.loggedOutRead.status, 401);
  // Rate limits let requests through uncounted; routes without Redis are untouched.
  assert.equal(during.directorySearch.status, 200);
  assert.equal(during.register.status, 201);
  assert.equal(during.publicSearch.status, 200);
  // Password checks and revocations need Redis: a clear 503, and the refused ban changed nothing.
  for (const refused of [during.login, during.ban]) {
    assert.equal(refused.status, 503);
    assert.equal(refused.code, "service_unavailable");
    assert.ok(refused.retryAfter);
  }
  assert.deepEqual(result.afterRefusedBan, { isActive: true, banEvents: 0 });
  assert.equal(result.healthDown.usersRedis, "error");
  // Hung instead of down: the same answers, once the command timeout gives up on Redis.
  assert.deepEqual([result.hung.signedInRead.status, result.hung.login.status], [200, 503]);
  assert.equal(result.healthDown.estadoGeneral, "degraded");

  // Back: logins work, the ban goes through and holds, the earlier ban still holds.
  assert.notEqual(result.recoveryMs, null);
  assert.deepEqual(result.after, { ban: 200, bannedRead: 401, stillBannedRead: 401, signedInRead: 200 });
  assert.deepEqual(result.violations, []);
});
