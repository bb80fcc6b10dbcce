import assert from "node:assert/strict";
import { connectRedis, RespError } from "../../shared/redis-resp.ts";
import { ensureRedis } from "../../scripts/local/redis.ts";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

Deno.test("RESP client talks to a real redis-server", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "redis-resp-test-" });
  const redis = await ensureRedis({ dataDir, port: freePort(), log: () => {} });
  assert.ok(redis.url, "redis-server must be available for this test");
  assert.equal(redis.started, true);
  const client = await connectRedis(redis.url);
  try {
    await t.step("simple, bulk, integer, nil and array replies", async () => {
      assert.equal(await client.command(["PING"]), "PONG");
      assert.equal(await client.command(["SET", "k", "v"]), "OK");
      assert.equal(await client.command(["GET", "k"]), "v");
      assert.equal(await client.command(["GET", "missing"]), null);
      assert.equal(await client.command(["INCRBY", "n", 5]), 5);
      assert.deepEqual(await client.command(["MGET", "k", "missing", "n"]), ["v", null, "5"]);
    });

    await t.step("bulk strings are binary safe and measured in bytes", async () => {
      const value = "línea 1\r\nlínea 2 🚀 $3\r\n*1\r\n";
      await client.command(["SET", "tricky", value]);
      assert.equal(await client.command(["GET", "tricky"]), value);
      assert.equal(await client.command(["STRLEN", "tricky"]), new TextEncoder().encode(value).length);
    });

    await t.step("error replies are returned, not thrown", async () => {
      const reply = await client.command(["INCR", "k"]);
      assert.ok(reply instanceof RespError);
      assert.match(reply.message, /^ERR value is not an integer/);
      // The connection stays usable after an error reply.
      assert.equal(await client.command(["GET", "k"]), "v");
    });

    await t.step("concurrent commands on one connection keep their replies", async () => {
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) => client.command(["ECHO", `msg-${i}`])),
      );
      assert.deepEqual(replies, Array.from({ length: 50 }, (_, i) => `msg-${i}`));
    });

    await t.step("the URL path selects the database", async () => {
      const db1 = await connectRedis(`${redis.url}/1`);
      try {
        await db1.command(["SET", "only-in-db1", "1"]);
        assert.equal(await db1.command(["GET", "only-in-db1"]), "1");
        assert.equal(await client.command(["GET", "only-in-db1"]), null);
      } finally {
        db1.close();
      }
    });
  } finally {
    client.close();
    await redis.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("ensureRedis reuses a server that already answers on the port", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "redis-reuse-test-" });
  const port = freePort();
  const first = await ensureRedis({ dataDir, port, log: () => {} });
  try {
    const second = await ensureRedis({ dataDir, port, log: () => {} });
    assert.equal(second.started, false);
    assert.equal(second.url, first.url);
    await second.stop(); // Must not stop the server it did not start.
    const client = await connectRedis(first.url!);
    assert.equal(await client.command(["PING"]), "PONG");
    client.close();
  } finally {
    await first.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("ensureRedis falls back (url null) when the port holds something else", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  // Accept and immediately answer with garbage, like a non-Redis service.
  const serving = (async () => {
    for await (const conn of listener) {
      await conn.write(new TextEncoder().encode("HTTP/1.1 400 Bad Request\r\n\r\n"));
      conn.close();
    }
  })();
  const messages: string[] = [];
  try {
    const redis = await ensureRedis({
      dataDir: "/nonexistent-not-used",
      port: listener.addr.port,
      log: (m) => messages.push(m),
    });
    assert.equal(redis.url, null);
    assert.equal(redis.started, false);
    assert.match(messages.join("\n"), /WARNING: port \d+ is in use/);
  } finally {
    listener.close();
    await serving.catch(() => {});
  }
});
