import assert from "node:assert/strict";
import { createDb } from "../../shared/db.ts";
import { emitEvent, trackEmittedEvents } from "../../shared/events.ts";
import { testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";

/** The relay learns of new events from `db`: after a commit, never before, never after a rollback. */
function hookedDb(onEventsCommitted: (ids: string[]) => void) {
  return createDb(testEnv().DATABASE_URL, { max: 2, appName: "commit-hook-test", onEventsCommitted });
}
const event = { type: "probe.hooked", aggregateId: "a1", producer: "tests", payload: {} };

it("after a transaction commits, the ids it emitted are handed over once, and the rows are visible", async () => {
  const calls: string[][] = [];
  let visible: Promise<number> = Promise.resolve(-1);
  const db = hookedDb((ids) => {
    calls.push(ids);
    visible = testSql()`select count(*)::int as n from public.outbox where id = any(${ids}::uuid[])`.then((
      [r],
    ) => r.n);
  });
  const ids = await db.asService(async (tx) => [await emitEvent(tx, event), await emitEvent(tx, event)]);
  assert.deepEqual(calls, [ids]);
  assert.equal(await visible, 2);
  await db.asService((tx) => tx`select 1`);
  assert.equal(calls.length, 1, "a transaction without events calls nothing");
  await db.close();
});

it("a transaction that rolls back hands over nothing", async () => {
  const calls: string[][] = [];
  const db = hookedDb((ids) => calls.push(ids));
  await assert.rejects(db.asService(async (tx) => {
    await emitEvent(tx, event);
    throw new Error("boom");
  }));
  assert.deepEqual(calls, []);
  await db.close();
});

it("rows written by SQL can be registered with trackEmittedEvents and are handed over the same way", async () => {
  const calls: string[][] = [];
  const db = hookedDb((ids) => calls.push(ids));
  const id = await db.asService(async (tx) => {
    const [row] =
      await tx`insert into public.outbox (type, aggregate_id, producer) values ('probe.sql', 'a', 'tests') returning id`;
    trackEmittedEvents(tx, [row.id]);
    return row.id as string;
  });
  assert.deepEqual(calls, [[id]]);
  await db.close();
});

it("a failing hook never fails the request that committed", async () => {
  const db = hookedDb(() => {
    throw new Error("relay exploded");
  });
  const id = await db.asService((tx) => emitEvent(tx, event));
  assert.match(id, /^[0-9a-f-]{36}$/);
  await db.close();
});
