// scripts/local/redis.ts against real redis-servers: which one a run reuses, and where it starts one.

import assert from "node:assert/strict";
import { createClient } from "redis";
import { ensureRedis } from "../../scripts/local/redis.ts";
import { freePort } from "../../scripts/local/ports.ts";

const quiet = () => {};

async function ping(url: string): Promise<string> {
  const client = createClient({ url, RESP: 2 });
  await client.connect();
  try {
    return String(await client.sendCommand(["PING"]));
  } finally {
    await client.close();
  }
}

async function withTempDir(prefix: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("ensureRedis reuses its own server and never stops what it did not start", async () => {
  await withTempDir("local-redis-reuse-", async (dataDir) => {
    const port = freePort();
    const first = await ensureRedis({ dataDir, port, log: quiet });
    try {
      assert.equal(first.started, true);
      assert.equal(first.url, `redis://127.0.0.1:${port}`);
      const second = await ensureRedis({ dataDir, port, log: quiet });
      assert.equal(second.started, false);
      assert.equal(second.url, first.url);
      await second.stop();
      assert.equal(await ping(first.url), "PONG");
    } finally {
      await first.stop();
    }
  });
});

Deno.test("ensureRedis starts on a free port when a TCP listener holds the preferred one", async () => {
  await withTempDir("local-redis-busy-", async (dataDir) => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const held = listener.addr.port;
    const messages: string[] = [];
    try {
      const redis = await ensureRedis({ dataDir, port: held, log: (m) => messages.push(m) });
      try {
        assert.equal(redis.started, true);
        assert.notEqual(redis.port, held);
        assert.equal(await ping(redis.url), "PONG");
        assert.match(
          messages.join("\n"),
          new RegExp(`WARNING: port ${held} is in use .* 127\\.0\\.0\\.1:${redis.port}`),
        );

        // A later run finds the server on the port it recorded, although the preferred one is still held.
        const again = await ensureRedis({ dataDir, port: held, log: quiet });
        assert.equal(again.started, false);
        assert.equal(again.port, redis.port);
      } finally {
        await redis.stop();
      }
    } finally {
      listener.close();
    }
  });
});

Deno.test("ensureRedis does not reuse another project's redis-server on the preferred port", async () => {
  await withTempDir("local-redis-other-", async (root) => {
    const port = freePort();
    const other = await ensureRedis({ dataDir: `${root}/other`, port, log: quiet });
    try {
      const ours = await ensureRedis({ dataDir: `${root}/ours`, port, log: quiet });
      try {
        assert.equal(ours.started, true);
        assert.notEqual(ours.port, port);
      } finally {
        await ours.stop();
      }
    } finally {
      await other.stop();
    }
  });
});
