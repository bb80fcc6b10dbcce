import assert from "node:assert/strict";
import postgres from "postgres";
import type { AuthUser } from "../../shared/auth.ts";
import { createDb, type Db } from "../../shared/db.ts";
import { it, testEnv } from "../support/env.ts";
import { startWireProxy, type WireProxy } from "../support/pg-wire-proxy.ts";

/**
 * What shared/db.ts's client puts on the wire, read by a proxy in front of the test database:
 * what Supabase's transaction pooler (Supavisor) receives. Two rules, both patches of the vendored
 * postgres.js (vendor/postgres/README.md):
 * - `prepare: false` (the pooler keeps no prepared statements) still sends a statement it has run
 *   before as ONE round trip: its parameter types are remembered, not described again;
 * - outside a transaction, one request at a time per connection (`max_pipeline: 0`): the pooler
 *   hands the backend to another client at a ReadyForQuery that says "idle" and drops replies
 *   pipelined behind it; inside one, statements pipeline up to its COMMIT, never past it.
 */

async function withProxy(max: number, fn: (db: Db, proxy: WireProxy) => Promise<void>) {
  const proxy = startWireProxy(testEnv().DATABASE_URL);
  const db = createDb(proxy.url, { max, appName: "wire-test" });
  try {
    await db.ping();
    await fn(db, proxy);
  } finally {
    await db.close();
    await proxy.close();
  }
}

/** The messages `run` sent. */
async function messagesOf(proxy: WireProxy, run: () => Promise<unknown>): Promise<string> {
  const from = proxy.sent.length;
  await run();
  return proxy.sent.slice(from).join("");
}

it("a statement with parameters waits for a Describe the first time only: after that, one round trip", async () => {
  await withProxy(1, async (db, proxy) => {
    const add = (a: number, b: number) => db.sql<{ n: number }[]>`select ${a}::int + ${b}::int as n`;
    const first = await messagesOf(proxy, async () => assert.equal((await add(1, 2))[0].n, 3));
    assert.equal(first, "PDHBES", "Parse + Describe, Flush, wait for the types, then Bind + Execute + Sync");
    const again = await messagesOf(proxy, async () => assert.equal((await add(40, 2))[0].n, 42));
    assert.equal(again, "PDBES", "one message train ending in its only Sync");
  });
});

it("remembered parameter types serialize every kind of value as the first run did", async () => {
  await withProxy(1, async (db) => {
    const echo = (v: { tags: string[] | null; doc: unknown; at: Date; n: number | null }) =>
      db.sql<{ tags: string[] | null; doc: unknown; at: Date; n: number | null }[]>`
        select ${v.tags}::text[] as tags, ${db.sql.json(v.doc as never)}::jsonb as doc,
          ${v.at}::timestamptz as at, ${v.n}::int as n`;
    const values = [
      {
        tags: ["a", "b,c", 'd"e'],
        doc: { x: 1, y: [true, null] },
        at: new Date("2026-01-02T03:04:05Z"),
        n: 7,
      },
      { tags: null, doc: "solo texto", at: new Date(0), n: null },
      { tags: [], doc: { ñ: "acentuación" }, at: new Date("2030-12-31T23:59:59.999Z"), n: -2147483648 },
    ];
    for (const v of [...values, ...values]) {
      const [row] = await echo(v);
      assert.deepEqual(row, v);
    }
  });
});

it("a statement that failed describes its parameters again next time, and the connection stays usable", async () => {
  await withProxy(1, async (db, proxy) => {
    const asInt = (v: string) => db.sql<{ n: number }[]>`select ${v}::int as n`;
    await asInt("1");
    assert.equal(await messagesOf(proxy, () => asInt("2")), "PDBES");
    await assert.rejects(
      asInt("no es un número"),
      (e) => e instanceof postgres.PostgresError && e.code === "22P02",
    );
    assert.equal(await messagesOf(proxy, () => asInt("3")), "PDHBES");
    assert.equal((await asInt("4"))[0].n, 4);
  });
});

it("never more than one request outstanding on a connection, however many queries wait for it", async () => {
  await withProxy(2, async (db, proxy) => {
    const results = await Promise.all(
      Array.from(
        { length: 40 },
        (_, i) =>
          i % 4 === 0
            ? db.sql<{ n: number }[]>`select ${i}::int as n`.then((r) => r[0].n)
            : db.sql`select 1 as n`.then((r) => r[0].n),
      ),
    );
    assert.deepEqual(results, Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? i : 1)));
    assert.equal(proxy.maxOutstanding(), 1);
    assert.equal(proxy.unsafe(), 0);
  });
});

it("a transaction still holds its connection to itself while other queries wait for the pool", async () => {
  await withProxy(1, async (db, proxy) => {
    const [inside, outside] = await Promise.all([
      db.asService(async (tx) => {
        await tx`select set_config('wire.test', ${"mine"}, true)`;
        await new Promise((r) => setTimeout(r, 20));
        const [row] = await tx<{ v: string }[]>`select current_setting('wire.test', true) as v`;
        return row.v;
      }),
      db.sql<{ v: string | null }[]>`select current_setting('wire.test', true) as v`.then((r) => r[0].v),
    ]);
    assert.equal(inside, "mine");
    assert.equal(proxy.unsafe(), 0);
    assert.ok(
      outside === null || outside === "",
      `a query outside saw the transaction's setting: ${outside}`,
    );
    assert.equal(proxy.maxOutstanding(), 1);
  });
});

it("inside a transaction statements pipeline — a user's role and claims with the first query — up to its COMMIT only", async () => {
  await withProxy(1, async (db, proxy) => {
    const user: AuthUser = {
      id: crypto.randomUUID(),
      rol: "CLIENTE",
      email: "wire@example.com",
      sessionId: null,
      issuedAt: 0,
    };
    const outside = () => db.sql<{ n: number }[]>`select ${7}::int as n`.then((r) => r[0].n);
    const scenario = () =>
      Promise.all([
        db.asUser(user, (tx) =>
          Promise.all([
            tx<{ id: string }[]>`select auth.uid()::text as id`.then((r) => r[0].id),
            tx<{ r: string }[]>`select current_user::text as r`.then((r) => r[0].r),
            tx<{ n: number }[]>`select ${2}::int as n`.then((r) => r[0].n),
          ])),
        // Left running when the function returns: the COMMIT goes out behind it.
        db.asService(async (tx) => {
          tx`select pg_sleep(0.02)`.execute();
          return await Promise.resolve();
        }),
        outside(),
        outside(),
        outside(),
      ]);
    // Twice: the first run describes the statements with parameters, which waits for their types.
    for (let run = 0; run < 2; run++) {
      const [claims, , ...others] = await scenario();
      assert.deepEqual(
        claims,
        [user.id, "authenticated", 2],
        "the claims applied to the statements behind them",
      );
      assert.deepEqual(others, [7, 7, 7]);
    }
    assert.ok(
      proxy.maxOutstanding() >= 3,
      `the transaction's statements went out together (${proxy.maxOutstanding()})`,
    );
    assert.equal(
      proxy.unsafe(),
      0,
      "nothing went out behind a COMMIT, or outside a transaction, while another was in flight",
    );
  });
});

it("a transaction ended by a COMMIT of its own (not through begin) pipelines nothing behind it", async () => {
  await withProxy(1, async (db, proxy) => {
    const reserved = await db.sql.reserve();
    try {
      await reserved`begin`;
      // Sent in this order (execute(), not then(): a query goes out when it is first awaited).
      const one = reserved<{ n: number }[]>`select 1 as n`.execute();
      const commit = reserved`commit`.execute();
      const two = reserved<{ n: number }[]>`select 2 as n`.execute();
      await commit;
      assert.deepEqual([(await one)[0].n, (await two)[0].n], [1, 2]);
      assert.ok(proxy.maxOutstanding() >= 2, "the statement and the COMMIT behind it went out together");
      assert.equal(proxy.unsafe(), 0, "the statement after the COMMIT waited for its answer");
    } finally {
      reserved.release();
    }
  });
});
