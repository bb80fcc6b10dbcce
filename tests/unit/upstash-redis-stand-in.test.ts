// Exercises the Upstash REST stand-in through the real `@upstash/redis` SDK,
// against a real redis-server (the only backend: rate limits need its Lua scripts).

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Redis } from "@upstash/redis";
import { Ratelimit } from "@upstash/ratelimit";
import { ensureRedis } from "../../scripts/local/redis.ts";
import { startUpstashRedisStandIn } from "../fakes/upstash-redis.ts";

const TOKEN = "test-token";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

function sdk(url: string, token = TOKEN): Redis {
  return new Redis({ url, token, enableTelemetry: false, retry: false });
}

type Step = (name: string, fn: () => Promise<void>) => Promise<boolean>;

/** SDK-level behaviour of the REST protocol. */
async function commonSteps(step: Step, url: string): Promise<void> {
  const redis = sdk(url);

  await step("set / get / del / exists", async () => {
    assert.equal(await redis.set("greeting", "hola 👋"), "OK");
    assert.equal(await redis.get("greeting"), "hola 👋");
    assert.equal(await redis.exists("greeting", "nope"), 1);
    assert.equal(await redis.del("greeting"), 1);
    assert.equal(await redis.get("greeting"), null);
  });

  await step("a value equal to OK survives base64 decoding", async () => {
    await redis.set("ok-value", "OK");
    assert.equal(await redis.get("ok-value"), "OK");
    assert.deepEqual(await redis.mget("ok-value", "missing"), ["OK", null]);
  });

  await step("JSON values round trip", async () => {
    const value = { id: 7, tags: ["a", "ñ"], nested: { ok: true } };
    await redis.set("json", value);
    assert.deepEqual(await redis.get("json"), value);
  });

  await step("incr / incrby / decr", async () => {
    assert.equal(await redis.incr("counter"), 1);
    assert.equal(await redis.incrby("counter", 10), 11);
    assert.equal(await redis.decr("counter"), 10);
  });

  await step("expire / ttl / set with ex and nx", async () => {
    await redis.set("temp", "x");
    assert.equal(await redis.ttl("temp"), -1);
    assert.equal(await redis.expire("temp", 100), 1);
    const ttl = await redis.ttl("temp");
    assert.ok(ttl > 95 && ttl <= 100, `ttl ${ttl}`);
    assert.equal(await redis.ttl("missing"), -2);
    assert.equal(await redis.set("lock", "1", { nx: true, px: 50 }), "OK");
    assert.equal(await redis.set("lock", "2", { nx: true }), null);
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(await redis.get("lock"), null);
  });

  await step("hset / hget / hgetall / hdel", async () => {
    assert.equal(await redis.hset("user:1", { name: "Ana", age: 30 }), 2);
    assert.equal(await redis.hget("user:1", "name"), "Ana");
    assert.deepEqual(await redis.hgetall("user:1"), { name: "Ana", age: 30 });
    assert.equal(await redis.hdel("user:1", "age"), 1);
    assert.equal(await redis.hgetall("missing-hash"), null);
  });

  await step("explicit pipeline, including a failing command", async () => {
    const results = await redis.pipeline().set("p1", "a").incr("p2").get("p1").exec();
    assert.deepEqual(results, ["OK", 1, "a"]);
    const withError = await redis.pipeline().set("p3", "x").incr("p3").exec({ keepErrors: true });
    assert.equal(withError[0].result, "OK");
    assert.match(String(withError[1].error), /not an integer/);
  });

  await step("multi-exec transaction", async () => {
    const results = await redis.multi().set("m1", "1").incr("m1").get("m1").exec();
    assert.deepEqual(results, ["OK", 2, 2]);
  });

  await step("concurrent auto-pipelined calls", async () => {
    const values = await Promise.all(
      Array.from({ length: 20 }, (_, i) => redis.set(`c:${i}`, i).then(() => redis.get(`c:${i}`))),
    );
    assert.deepEqual(values, Array.from({ length: 20 }, (_, i) => i));
  });

  await step("keys with a glob pattern", async () => {
    await redis.set("glob:a1", 1);
    await redis.set("glob:b2", 1);
    assert.deepEqual((await redis.keys("glob:a*")).sort(), ["glob:a1"]);
  });

  await step("wrong token is rejected", async () => {
    await assert.rejects(() => sdk(url, "wrong").get("greeting"), /Unauthorized/);
    const res = await fetch(url, { method: "POST", body: '["PING"]' });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { error: "Unauthorized" });
  });

  await step("raw REST protocol: encoding, errors, path form", async () => {
    const post = async (path: string, body: unknown, base64: boolean) => {
      const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
      if (base64) headers["upstash-encoding"] = "base64";
      const res = await fetch(`${url}${path}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    assert.deepEqual(await post("/", ["SET", "raw", "bar"], true), {
      status: 200,
      body: { result: "OK" },
    });
    assert.deepEqual(await post("/", ["GET", "raw"], true), {
      status: 200,
      body: { result: "YmFy" },
    });
    assert.deepEqual(await post("/", ["GET", "raw"], false), {
      status: 200,
      body: { result: "bar" },
    });
    const error = await post("/", ["INCR", "raw"], false);
    assert.equal(error.status, 400);
    assert.match(error.body.error, /^ERR /);
    assert.deepEqual(await post("/pipeline", [["GET", "raw"], ["INCR", "raw"]], false), {
      status: 200,
      body: [{ result: "bar" }, { error: error.body.error }],
    });
    const pathForm = await fetch(`${url}/get/raw?_token=${TOKEN}`);
    assert.deepEqual(await pathForm.json(), { result: "bar" });
  });

  await step("flushdb", async () => {
    assert.equal(await redis.flushdb(), "OK");
    assert.equal(await redis.dbsize(), 0);
  });
}

Deno.test({
  name: "Upstash stand-in backed by a real redis-server",
  async fn(t) {
    const dataDir = await Deno.makeTempDir({ prefix: "upstash-stand-in-test-" });
    const redis = await ensureRedis({ dataDir, port: freePort(), log: () => {} });
    assert.ok(redis.url, "redis-server must be available for this test");
    const standIn = await startUpstashRedisStandIn({ redisUrl: redis.url, token: TOKEN, db: 2 });
    try {
      const step: Step = (name, fn) => t.step(name, fn);
      await commonSteps(step, standIn.url);

      await t.step("Lua scripts run on the real backend", async () => {
        const client = sdk(standIn.url);
        assert.equal(await client.eval("return ARGV[1]", [], ["lua-ok"]), "lua-ok");
      });

      await t.step("Upstash-only script flags are accepted and SHA1s stay the client's", async () => {
        const client = sdk(standIn.url);
        const script = "#!lua flags=allow-key-locking,no-writes\nreturn 'flagged'";
        const clientSha = createHash("sha1").update(script).digest("hex");
        assert.equal(await client.scriptLoad(script), clientSha);
        assert.equal(await client.evalsha(clientSha, [], []), "flagged");
      });

      await t.step("@upstash/ratelimit works (EVALSHA -> NOSCRIPT -> EVAL)", async () => {
        const ratelimit = new Ratelimit({
          redis: sdk(standIn.url),
          limiter: Ratelimit.slidingWindow(2, "10 s"),
          prefix: "rl-test",
        });
        const outcomes = [];
        for (let i = 0; i < 3; i++) outcomes.push((await ratelimit.limit("user-1")).success);
        assert.deepEqual(outcomes, [true, true, false]);
      });

      await t.step("a discarded transaction is a single 400 error", async () => {
        const res = await fetch(`${standIn.url}/multi-exec`, {
          method: "POST",
          headers: { authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify([["SET", "a", "1"], ["NOSUCHCOMMAND"]]),
        });
        assert.equal(res.status, 400);
        assert.match((await res.json()).error, /EXECABORT/);
      });
    } finally {
      await standIn.stop();
      await redis.stop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
