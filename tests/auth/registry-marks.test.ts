import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";
import { writePendingMarks } from "../../functions/auth/registry-marks.ts";
import { createSessionRegistry } from "../../shared/sessions.ts";
import { testSql } from "../support/accounts.ts";
import { it, testConfig } from "../support/env.ts";
import { runAsScheduler } from "../support/scheduled.ts";
import { client, loginUser, registerUser } from "./support.ts";

const ACCESS_TTL_S = testConfig().JWT_ACCESS_TTL_MINUTES * 60;
const redis = () => {
  const config = testConfig();
  return new Redis({ url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN });
};

/** A signed-in session, ended `endedAgo` ago with its registry mark owed (as a reuse with Redis down leaves it). */
async function owedSession(endedAgo: string): Promise<string> {
  const http = await client();
  const { email } = await registerUser(http);
  const tokens = await loginUser(http, email);
  const sid = JSON.parse(atob(tokens.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sid;
  await testSql()`update public.auth_sessions set revoked_at = now() - ${endedAgo}::interval,
    revoked_reason = 'reuse_detected', registry_mark_pending = true where id = ${sid}`;
  return sid;
}

const pending = async (sid: string) =>
  (await testSql()`select registry_mark_pending from public.auth_sessions where id = ${sid}`)[0]
    .registry_mark_pending;

it("an owed registry mark is written for what is left of the access tokens' life, and no longer owed", async () => {
  const sid = await owedSession("10 minutes");
  const sessions = createSessionRegistry(redis());
  await writePendingMarks({ sql: testSql(), sessions, markSeconds: ACCESS_TTL_S + 60 });
  assert.equal(await pending(sid), false);
  assert.notEqual(await redis().get(`sessions:revoked:${sid}`), null);
  const ttl = await redis().ttl(`sessions:revoked:${sid}`);
  // The session ended 10 minutes ago: its newest access token expires ACCESS_TTL_S after that (+60 s).
  assert.ok(ttl > ACCESS_TTL_S + 60 - 600 - 30 && ttl <= ACCESS_TTL_S + 60 - 600, `ttl ${ttl}`);
});

it("an owed mark of a session whose access tokens have all expired is dropped, not written", async () => {
  const sid = await owedSession(`${ACCESS_TTL_S + 120} seconds`);
  await writePendingMarks({
    sql: testSql(),
    sessions: createSessionRegistry(redis()),
    markSeconds: ACCESS_TTL_S + 60,
  });
  assert.equal(await pending(sid), false);
  assert.equal(await redis().get(`sessions:revoked:${sid}`), null);
});

it("while Redis does not answer the run fails (the route answers 503) and writes nothing", async () => {
  await owedSession("1 minute");
  const down = new Redis({ url: "http://127.0.0.1:9", token: "x", retry: false });
  await assert.rejects(
    () =>
      writePendingMarks({
        sql: testSql(),
        sessions: createSessionRegistry(down),
        markSeconds: ACCESS_TTL_S + 60,
      }),
    (error: Error & { status?: number }) => error.status === 503,
  );
});

it("POST /auth/events/sessions runs for the scheduler only (401 otherwise)", async () => {
  const report = await runAsScheduler("/auth/events/sessions");
  assert.deepEqual(Object.keys(report).sort(), ["expired", "written"]);
});
