import assert from "node:assert/strict";
import type { Redis } from "@upstash/redis";
import { createLoginThrottle } from "../../functions/auth/login-throttle.ts";
import type { AuthUser } from "../../shared/auth.ts";
import { AppError } from "../../shared/errors.ts";
import { createLogger } from "../../shared/log.ts";
import { createSlidingWindowLimiter } from "../../shared/rate-limit.ts";
import { createSessionRegistry } from "../../shared/sessions.ts";

// Each use of Redis when Redis does not answer (README, "When Redis is down"); the same through
// the running stack: tests/reliability/redis-down.test.ts.

/** A Redis whose commands fail, as the SDK fails when Upstash does not answer. */
const unreachable = () => Promise.reject(new Error("fetch failed"));
const downRedis = {
  get: unreachable,
  mget: unreachable,
  set: unreachable,
  del: unreachable,
  eval: unreachable,
  evalsha: unreachable,
} as unknown as Redis;

function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  return { log: createLogger("test", "warn", (line) => lines.push(JSON.parse(line))), lines };
}

const user: AuthUser = { id: "u-1", rol: "CLIENTE", email: "u@example.com", sessionId: "s-1", issuedAt: 0 };

Deno.test("Redis down: the session check asks the fallback, once logged per minute", async () => {
  const { log, lines } = capturedLog();
  const asked: string[] = [];
  const registry = createSessionRegistry(downRedis, {
    log,
    fallback: (u) => (asked.push(u.sessionId!), Promise.resolve(u.sessionId === "s-1")),
  });
  assert.equal(await registry.isLive(user), true);
  assert.equal(await registry.isLive({ ...user, sessionId: "s-2" }), false);
  assert.deepEqual(asked, ["s-1", "s-2"]);
  assert.equal(lines.filter((l) => l.msg === "redis unavailable").length, 1);
});

Deno.test("Redis down: ending sessions answers 503 (the caller's transaction does not commit)", async () => {
  const registry = createSessionRegistry(downRedis, { fallback: () => Promise.resolve(true) });
  for (const end of [() => registry.endAll("u-1"), () => registry.endSession("s-1")]) {
    await assert.rejects(end, (error) => error instanceof AppError && error.status === 503);
  }
});

Deno.test("Redis down: a sliding-window limit lets the attempt through uncounted, and says so", async () => {
  const { log, lines } = capturedLog();
  const limiter = createSlidingWindowLimiter(downRedis, {
    prefix: "ratelimit:test",
    spec: { limit: 1, windowMs: 60_000 },
    log,
  });
  await limiter.consume("a");
  await limiter.consume("a");
  await limiter.refund("a");
  assert.equal(lines.length, 1);
  assert.equal(lines[0].consequence, "allowed without counting");
});

const spec = { limit: 10, windowMs: 60_000 };

Deno.test("Redis down: no password is checked — login answers 503 with Retry-After", async () => {
  const throttle = createLoginThrottle(downRedis, createLogger("test", "error"), {
    perAccountIp: spec,
    perIp: spec,
    perAccount: spec,
  });
  await assert.rejects(
    () => throttle.begin("ana@example.com", "203.0.113.7"),
    (error) => error instanceof AppError && error.status === 503 && !!error.extra.headers?.["retry-after"],
  );
  // Forgetting failures after a reset is best effort: it does not fail the reset.
  await throttle.clearAccount("ana@example.com");
});
