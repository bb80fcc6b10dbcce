import assert from "node:assert/strict";
import type { Redis } from "@upstash/redis";
import type { AuthUser } from "./auth.ts";
import { createSessionRegistry } from "./sessions.ts";

/** Just enough of Redis for the registry, counting round trips. */
function fakeRedis() {
  const store = new Map<string, unknown>();
  const calls = { count: 0 };
  const redis = {
    get: (k: string) => (calls.count++, Promise.resolve(store.get(k) ?? null)),
    mget: (...keys: string[]) => (calls.count++, Promise.resolve(keys.map((k) => store.get(k) ?? null))),
    set: (k: string, v: unknown) => (store.set(k, v), Promise.resolve("OK")),
  };
  return { redis: redis as unknown as Redis, store, calls };
}

// Auth mints `iat` with millisecond precision.
const now = () => Date.now() / 1000;
const user = (sessionId: string | null, issuedAt = now()): AuthUser => ({
  id: "u-1",
  rol: "CLIENTE",
  email: "u@example.com",
  sessionId,
  issuedAt,
});

Deno.test("ending one session refuses that session's tokens only", async () => {
  const { redis } = fakeRedis();
  const registry = createSessionRegistry(redis);
  assert.equal(await registry.isLive(user("s-1")), true);
  await registry.endSession("s-1", { ttlSeconds: 60 });
  assert.equal(await registry.isLive(user("s-1")), false);
  assert.equal(await registry.isLive(user("s-2")), true);
  assert.equal(await registry.isLive(user(null)), true);
});

Deno.test("another process sees an ended session after its cache time", async () => {
  const { redis } = fakeRedis();
  const here = createSessionRegistry(redis, { cacheMs: 0 });
  const elsewhere = createSessionRegistry(redis, { cacheMs: 0 });
  assert.equal(await elsewhere.isLive(user("s-9")), true);
  await here.endSession("s-9");
  assert.equal(await elsewhere.isLive(user("s-9")), false);
});

Deno.test("ending all sessions refuses tokens issued before, in one Redis round trip per check", async () => {
  const { redis, calls } = fakeRedis();
  const registry = createSessionRegistry(redis, { cacheMs: 0 });
  await registry.endAll("u-1");
  calls.count = 0;
  assert.equal(await registry.isLive(user("s-3", now() - 5)), false);
  assert.equal(await registry.isLive(user("s-3", now())), true, "a token minted after the end is fine");
  assert.equal(calls.count, 2);
});

Deno.test("a token issued earlier in the same second as the end is refused", async () => {
  const { redis } = fakeRedis();
  const registry = createSessionRegistry(redis, { cacheMs: 0 });
  const justBefore = now() - 0.001;
  await registry.endAll("u-1");
  assert.equal(await registry.isLive(user("s-4", justBefore)), false);
  await new Promise((r) => setTimeout(r, 2));
  assert.equal(await registry.isLive(user("s-4", now())), true);
});
