// The stand-in's Redis backend (node-redis under it): replies as the REST layer needs them.

import assert from "node:assert/strict";
import { ensureRedis } from "../../scripts/local/redis.ts";
import { freePort } from "../../scripts/local/ports.ts";
import { ReplyError } from "../fakes/upstash-redis-backend.ts";
import { redisBackend } from "../fakes/upstash-redis-real.ts";

Deno.test("the Upstash stand-in's Redis backend on a real redis-server", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "upstash-backend-test-" });
  const redis = await ensureRedis({ dataDir, port: freePort(), log: () => {} });
  const backend = await redisBackend(redis.url, 1);
  try {
    await t.step("simple, bulk, integer, nil and array replies", async () => {
      assert.equal(await backend.run(["PING"]), "PONG");
      assert.equal(await backend.run(["SET", "k", "v"]), "OK");
      assert.equal(await backend.run(["GET", "k"]), "v");
      assert.equal(await backend.run(["GET", "missing"]), null);
      assert.equal(await backend.run(["INCRBY", "n", "5"]), 5);
      assert.deepEqual(await backend.run(["MGET", "k", "missing", "n"]), ["v", null, "5"]);
      // RESP2 shapes, as Upstash answers: a hash is a flat array, not an object.
      await backend.run(["HSET", "h", "a", "1"]);
      assert.deepEqual(await backend.run(["HGETALL", "h"]), ["a", "1"]);
    });

    await t.step("values are binary safe", async () => {
      const value = "línea 1\r\nlínea 2 🚀 $3\r\n*1\r\n";
      await backend.run(["SET", "tricky", value]);
      assert.equal(await backend.run(["GET", "tricky"]), value);
      assert.equal(await backend.run(["STRLEN", "tricky"]), new TextEncoder().encode(value).length);
    });

    await t.step("error replies are returned, not thrown, also inside arrays", async () => {
      const reply = await backend.run(["INCR", "k"]);
      assert.ok(reply instanceof ReplyError);
      assert.match(reply.message, /^ERR value is not an integer/);
      const mixed = await backend.run(["EVAL", "return {1, redis.error_reply('ERR boom')}", "0"]);
      assert.ok(Array.isArray(mixed) && mixed[1] instanceof ReplyError);
      assert.equal(await backend.run(["GET", "k"]), "v");
    });

    await t.step("a pipeline runs in order and keeps each command's error", async () => {
      const replies = await backend.pipeline([["SET", "p", "a"], ["INCR", "p"], ["GET", "p"], [
        "SELECT",
        "2",
      ]]);
      assert.equal(replies[0], "OK");
      assert.ok(replies[1] instanceof ReplyError);
      assert.equal(replies[2], "a");
      assert.match(String((replies[3] as ReplyError).message), /not supported by the Upstash REST stand-in/);
    });

    await t.step("concurrent commands keep their replies", async () => {
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) => backend.run(["ECHO", `msg-${i}`])),
      );
      assert.deepEqual(replies, Array.from({ length: 50 }, (_, i) => `msg-${i}`));
    });

    await t.step("multi-exec: run-time errors among the replies, queue-time errors discard all", async () => {
      const replies = await backend.multiExec([["SET", "m", "x"], ["INCR", "m"], ["GET", "m"]]);
      assert.ok(Array.isArray(replies));
      assert.deepEqual([replies[0], replies[2]], ["OK", "x"]);
      assert.ok(replies[1] instanceof ReplyError);
      const discarded = await backend.multiExec([["SET", "d", "1"], ["NOSUCHCOMMAND"]]);
      assert.ok(discarded instanceof ReplyError);
      assert.match(discarded.message, /^EXECABORT/);
      assert.equal(await backend.run(["GET", "d"]), null);
    });

    await t.step("the logical database keeps stacks apart", async () => {
      const other = await redisBackend(redis.url, 2);
      try {
        assert.equal(await other.run(["GET", "k"]), null);
      } finally {
        await other.close();
      }
    });

    await t.step("a wrong URL fails when connecting", async () => {
      await assert.rejects(() => redisBackend(`redis://127.0.0.1:${freePort()}`), /ECONNREFUSED/);
    });
  } finally {
    await backend.close();
    await backend.close(); // Idempotent: the stand-in's stop may run twice.
    await redis.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});
