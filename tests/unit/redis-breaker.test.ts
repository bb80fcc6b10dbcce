import assert from "node:assert/strict";
import { errors } from "@upstash/redis";
import { CircuitOpenError } from "../../shared/circuit-breaker.ts";
import { createLogger } from "../../shared/log.ts";
import { createRedisClient, REDIS_BREAKER } from "../../shared/redis-breaker.ts";

// The platform's Upstash client behind its breaker, against a TCP server that drops connections
// (as an Upstash that does not answer fails fetch), answers, or answers a command error.

type Mode = "drop" | "pong" | "wrongtype";

/** A bare HTTP/1.1 server: `mode` says what the next request gets; `requests` counts them. */
function fakeUpstash() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const state = { mode: "drop" as Mode, requests: 0 };
  const reply = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    return `HTTP/1.1 ${status} X\r\ncontent-type: application/json\r\ncontent-length: ${text.length}\r\n` +
      `connection: close\r\n\r\n${text}`;
  };
  const serve = async (conn: Deno.Conn) => {
    const buffer = new Uint8Array(64 * 1024);
    let request = "";
    try {
      // The whole request (headers, then content-length bytes of body) before answering.
      for (;;) {
        const n = await conn.read(buffer);
        if (n === null) return;
        request += new TextDecoder().decode(buffer.subarray(0, n));
        const end = request.indexOf("\r\n\r\n");
        const length = Number(/content-length: (\d+)/i.exec(request)?.[1] ?? 0);
        if (end >= 0 && request.length >= end + 4 + length) break;
      }
      state.requests += 1;
      if (state.mode === "pong") {
        // Auto-pipelined commands arrive at /pipeline, a list of commands answered by a list.
        const body = request.slice(request.indexOf("\r\n\r\n") + 4);
        const pong = { result: btoa("PONG") };
        const answer = request.startsWith("POST /pipeline") ? JSON.parse(body).map(() => pong) : pong;
        await conn.write(new TextEncoder().encode(reply(200, answer)));
      }
      if (state.mode === "wrongtype") {
        await conn.write(
          new TextEncoder().encode(reply(400, { error: "WRONGTYPE Operation against a key" })),
        );
      }
    } finally {
      conn.close();
    }
  };
  const accepting = (async () => {
    const open: Promise<void>[] = [];
    try {
      for await (const conn of listener) open.push(serve(conn));
    } finally {
      await Promise.allSettled(open);
    }
  })();
  const { port } = listener.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    async close() {
      listener.close();
      await accepting;
    },
  };
}

function client() {
  const upstash = fakeUpstash();
  const clock = { t: 0 };
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("test", "debug", (line) => lines.push(JSON.parse(line)));
  const redis = createRedisClient({ url: upstash.url, token: "t" }, log, { now: () => clock.t });
  return { upstash, clock, lines, redis };
}

Deno.test("Redis breaker: connections failing 3 times open it; commands then fail at once, logged once", async () => {
  const { upstash, lines, redis } = client();
  try {
    for (let i = 0; i < REDIS_BREAKER.failuresToOpen; i++) {
      await assert.rejects(redis.ping(), (e) => !(e instanceof CircuitOpenError) && e instanceof Error);
    }
    // Each failed command was tried 3 times (the SDK's retries of a dropped connection).
    assert.equal(upstash.state.requests, 9);
    const started = performance.now();
    await assert.rejects(redis.get("k"), CircuitOpenError);
    await assert.rejects(Promise.all([redis.get("a"), redis.set("b", 1)]), CircuitOpenError);
    assert.ok(performance.now() - started < 50, "no wait while open");
    assert.equal(upstash.state.requests, 9, "nothing sent while open");
    const opened = lines.filter((l) => l.msg === "redis circuit opened");
    assert.equal(opened.length, 1);
    assert.equal(opened[0].level, "warn");
    assert.equal(opened[0].failures, 3);
  } finally {
    await upstash.close();
  }
});

Deno.test("Redis breaker: after openMs a command probes Upstash; its answer closes the breaker", async () => {
  const { upstash, clock, lines, redis } = client();
  try {
    for (let i = 0; i < REDIS_BREAKER.failuresToOpen; i++) await assert.rejects(redis.ping());
    upstash.state.mode = "pong";
    await assert.rejects(redis.ping(), CircuitOpenError);
    clock.t += REDIS_BREAKER.openMs;
    assert.equal(await redis.ping(), "PONG");
    assert.equal(await redis.ping(), "PONG");
    const closed = lines.filter((l) => l.msg === "redis circuit closed");
    assert.deepEqual(closed.map((l) => [l.level, l.open_for_ms]), [["info", REDIS_BREAKER.openMs]]);
  } finally {
    await upstash.close();
  }
});

Deno.test("Redis breaker: command errors Upstash answers (WRONGTYPE) never open it", async () => {
  const { upstash, lines, redis } = client();
  upstash.state.mode = "wrongtype";
  try {
    for (let i = 0; i < 2 * REDIS_BREAKER.failuresToOpen; i++) {
      await assert.rejects(redis.get("k"), errors.UpstashError);
    }
    upstash.state.mode = "pong";
    assert.equal(await redis.ping(), "PONG");
    assert.deepEqual(lines, []);
  } finally {
    await upstash.close();
  }
});
