import assert from "node:assert/strict";
import { parseSubscribers } from "../../shared/config-parsers.ts";
import { createLogger } from "../../shared/log.ts";
import type { QStashOutcome, QStashPublisher } from "../../shared/qstash.ts";
import { createRelay } from "../../shared/relay.ts";
import { testSql } from "../support/accounts.ts";
import { it, testConfig, testEnv } from "../support/env.ts";
import { outboxRow, waitFor } from "./helpers.ts";

/**
 * The relay's claiming, addressing, failure and pruning rules against the real outbox, with a
 * QStash publisher that only records. Rows here are due an hour from now, so the stack's own
 * sweep never touches them; these tests sweep "as of" later, for their producer only.
 */
const quiet = createLogger("relay-test", "error");

type Published = { url: string; body: { id: string }; deduplicationId: string };
type Outcome = QStashOutcome | "no answer";

/**
 * A QStash publisher that records the batches it was asked to publish and answers each message
 * with `outcome(message)` ("no answer" leaves the whole batch request hanging).
 */
function recordingPublisher(outcome: (message: Published) => Outcome = () => ({ messageId: "msg" })) {
  const batches: Published[][] = [];
  const qstash: QStashPublisher = {
    batchJSON(messages) {
      const batch = messages.map((m) => ({ ...m, body: m.body as { id: string } }));
      batches.push(batch);
      const outcomes = batch.map(outcome);
      if (outcomes.includes("no answer")) return new Promise(() => {});
      return Promise.resolve(outcomes as QStashOutcome[]);
    },
  };
  return { qstash, batches, published: () => batches.flat() };
}

async function insertFutureRows(producer: string, count: number, type = "probe.swept"): Promise<string[]> {
  // Due an hour from now: the stack's own sweep never sees them; these tests sweep "as of" later.
  const rows = await testSql()`
    insert into public.outbox (type, aggregate_id, producer, payload, next_attempt_at)
    select ${type}, 'agg-' || g, ${producer}, '{}'::jsonb, now() + interval '1 hour'
    from generate_series(1, ${count}) g returning id`;
  return rows.map((r) => r.id);
}
const later = () => new Date(Date.now() + 2 * 3600_000);

it("concurrent sweeps never claim the same row: each event is published exactly once", async () => {
  const producer = `relay-test-${crypto.randomUUID()}`;
  const ids = await insertFutureRows(producer, 40);
  const recorders = Array.from({ length: 4 }, () => recordingPublisher());
  const relays = recorders.map(({ qstash }) =>
    createRelay({ config: testConfig(), log: quiet, sql: testSql(), qstash })
  );
  await Promise.all(relays.map(async (relay) => {
    while ((await relay.sweep({ asOf: later(), producer, limit: 7 })).claimed) { /* until nothing is due */ }
  }));
  const published = recorders.flatMap((r) => r.published().map((p) => p.body.id));
  assert.equal(published.length, ids.length);
  assert.deepEqual([...new Set(published)].sort(), [...ids].sort());
  assert.ok(recorders.filter((r) => r.published().length > 0).length > 1, "the work was shared");
  const states = await testSql()`select distinct status from public.outbox where producer = ${producer}`;
  assert.deepEqual(states.map((s) => s.status), ["published"]);
});

it("each subscriber gets its own message: the URL is <FUNCTIONS_PUBLIC_URL>/<fn>/events, deduplicated per event", async () => {
  const producer = `relay-test-${crypto.randomUUID()}`;
  const [id] = await insertFutureRows(producer, 1, "review.created");
  const { qstash, published } = recordingPublisher();
  const config = {
    ...testConfig(),
    EVENT_SUBSCRIBERS: parseSubscribers("notifications=*;professionals=review.*"),
  };
  const relay = createRelay({ config, log: quiet, sql: testSql(), qstash });
  assert.equal((await relay.sweep({ asOf: later(), producer })).published, 1);
  const base = testEnv().FUNCTIONS_PUBLIC_URL;
  assert.deepEqual(published().map((p) => [p.url, p.deduplicationId]), [
    [`${base}/notifications/events`, `${id}:notifications`],
    [`${base}/professionals/events`, `${id}:professionals`],
  ]);
  assert.deepEqual(Object.keys(published()[0].body).sort(), [
    "aggregate_id",
    "created_at",
    "id",
    "payload",
    "producer",
    "type",
  ]);
});

it("a sweep publishes its rows in one batch request; a message QStash refuses fails only its own event", async () => {
  const producer = `relay-test-${crypto.randomUUID()}`;
  const [refusedId, ...others] = await insertFutureRows(producer, 3);
  const { qstash, batches } = recordingPublisher((m) =>
    m.body.id === refusedId ? { error: "destination refused" } : { messageId: `msg_${m.body.id}` }
  );
  const config = { ...testConfig(), RELAY_BACKOFF_BASE_MS: 30_000, RELAY_BACKOFF_MAX_MS: 600_000 };
  const report = await createRelay({ config, log: quiet, sql: testSql(), qstash }).sweep({
    asOf: later(),
    producer,
  });
  assert.deepEqual(report, { claimed: 3, published: 2, failed: 1 });
  assert.deepEqual(batches.map((b) => b.length), [3]);
  const refused = await outboxRow(refusedId);
  assert.equal(refused.status, "failed");
  assert.match(refused.last_error, /destination refused/);
  assert.equal(refused.unreachable, false, "QStash answered: it keeps its backoff after an outage");
  for (const id of others) assert.equal((await outboxRow(id)).status, "published");
});

it("more messages than one batch request carries go out in several, 100 at most each", async () => {
  const producer = `relay-test-${crypto.randomUUID()}`;
  const ids = await insertFutureRows(producer, 150);
  const { qstash, batches, published } = recordingPublisher();
  const relay = createRelay({ config: testConfig(), log: quiet, sql: testSql(), qstash });
  assert.deepEqual(await relay.sweep({ asOf: later(), producer, limit: 200 }), {
    claimed: 150,
    published: 150,
    failed: 0,
  });
  assert.deepEqual(batches.map((b) => b.length).sort(), [100, 50].sort());
  assert.deepEqual(published().map((p) => p.body.id).sort(), [...ids].sort());
});

it("after-commit publishes gather: ids committed while earlier publishes run go out as one batch", async () => {
  const producer = `relay-test-${crypto.randomUUID()}`;
  // Pending rows (as right after their commits); due in an hour, so the stack's sweep leaves them.
  const ids = await insertFutureRows(producer, 10);
  const held: (() => void)[] = [];
  const batches: string[][] = [];
  const qstash: QStashPublisher = {
    batchJSON(messages) {
      batches.push(messages.map((m) => (m.body as { id: string }).id));
      const answer = messages.map(() => ({ messageId: "msg" }));
      return new Promise((resolve) => held.push(() => resolve(answer)));
    },
  };
  const relay = createRelay({ config: testConfig(), log: quiet, sql: testSql(), qstash });
  for (const id of ids) relay.publishSoon([id]);
  await waitFor(() => Promise.resolve(batches.length === 2), { what: "the first two publishes" });
  assert.deepEqual(batches.map((b) => b.length), [1, 1]);
  await waitFor(() => {
    held.splice(0).forEach((answer) => answer());
    return Promise.resolve(batches.length === 3 && !held.length);
  }, { what: "the gathered batch" });
  await relay.drain();
  assert.deepEqual(batches.map((b) => b.length), [1, 1, 8]);
  assert.deepEqual(batches.flat().sort(), [...ids].sort());
  const states = await testSql()`select distinct status from public.outbox where producer = ${producer}`;
  assert.deepEqual(states.map((r) => r.status), ["published"]);
});

it("an event no function subscribes to is marked published without a message", async () => {
  const producer = `relay-test-${crypto.randomUUID()}`;
  const [id] = await insertFutureRows(producer, 1);
  const { qstash, published } = recordingPublisher();
  const config = { ...testConfig(), EVENT_SUBSCRIBERS: parseSubscribers("professionals=review.created") };
  await createRelay({ config, log: quiet, sql: testSql(), qstash }).sweep({ asOf: later(), producer });
  assert.equal(published().length, 0);
  assert.equal((await outboxRow(id)).status, "published");
});

it("a publish QStash does not answer in time is recorded as failed with its error, to retry with backoff", async () => {
  const producer = `relay-test-${crypto.randomUUID()}`;
  const [id] = await insertFutureRows(producer, 1);
  const { qstash } = recordingPublisher(() => "no answer");
  const config = {
    ...testConfig(),
    RELAY_PUBLISH_TIMEOUT_MS: 100,
    RELAY_BACKOFF_BASE_MS: 30_000,
    RELAY_BACKOFF_MAX_MS: 600_000,
  };
  const report = await createRelay({ config, log: quiet, sql: testSql(), qstash }).sweep({
    asOf: later(),
    producer,
  });
  assert.deepEqual(report, { claimed: 1, published: 0, failed: 1 });
  const [row] = await testSql()`
    select status, attempts, last_error, unreachable,
           next_attempt_at > now() + interval '20 seconds' as backed_off
    from public.outbox where id = ${id}`;
  assert.equal(row.status, "failed");
  assert.equal(row.unreachable, true);
  assert.equal(row.attempts, 1);
  assert.match(row.last_error, /did not answer within 100 ms/);
  assert.equal(row.backed_off, true);
});

/** Rows that failed as if during an outage, backing off until `dueInMs` after `later()`. */
async function insertBackingOff(
  producer: string,
  count: number,
  options: { unreachable: boolean; dueInMs: number },
): Promise<string[]> {
  const rows = await testSql()`
    insert into public.outbox
      (type, aggregate_id, producer, payload, status, attempts, last_error, unreachable, next_attempt_at)
    select 'probe.swept', 'agg-' || g, ${producer}, '{}'::jsonb, 'failed', 3, 'QStash down',
           ${options.unreachable}, ${new Date(later().getTime() + options.dueInMs)}::timestamptz
    from generate_series(1, ${count}) g returning id`;
  return rows.map((r) => r.id);
}

it("after an outage the backlog goes out in one sweep: a probe first, then every row that could not reach QStash", async () => {
  const producer = `relay-test-${crypto.randomUUID()}`;
  const asOf = later();
  // Backing off for a few more seconds by the sweep's clock (up to RELAY_BACKOFF_MAX_MS in production).
  const backlog = await insertBackingOff(producer, 5, { unreachable: true, dueInMs: 5_000 });
  const [refused] = await insertBackingOff(producer, 1, { unreachable: false, dueInMs: 5_000 });
  // Due long after any backoff: not the relay's retry, left alone.
  const [scheduled] = await insertBackingOff(producer, 1, { unreachable: true, dueInMs: 3600_000 });
  const { qstash, batches, published } = recordingPublisher();
  const relay = createRelay({ config: testConfig(), log: quiet, sql: testSql(), qstash });

  assert.deepEqual(await relay.sweep({ asOf, producer }), { claimed: 5, published: 5, failed: 0 });
  assert.deepEqual(batches.map((b) => b.length), [1, 4], "one probe, then the rest together");
  assert.deepEqual(published().map((p) => p.body.id).sort(), [...backlog].sort());
  const left = await testSql()`
    select id, status, next_attempt_at from public.outbox where id in ${testSql()([refused, scheduled])}`;
  for (const row of left) {
    assert.equal(row.status, "failed");
    assert.ok(row.next_attempt_at.getTime() > asOf.getTime(), "kept its own time");
  }
});

it("while QStash stays unreachable a sweep sends one probe and leaves the backlog to its backoff", async () => {
  const producer = `relay-test-${crypto.randomUUID()}`;
  const asOf = later();
  const backlog = await insertBackingOff(producer, 3, { unreachable: true, dueInMs: 5_000 });
  let requests = 0;
  const qstash: QStashPublisher = {
    batchJSON() {
      requests++;
      return Promise.reject(new Error("connect ECONNREFUSED"));
    },
  };
  // A long backoff, so the probe's next attempt is beyond the stack's own sweep's reach.
  const config = { ...testConfig(), RELAY_BACKOFF_BASE_MS: 30_000, RELAY_BACKOFF_MAX_MS: 600_000 };
  const relay = createRelay({ config, log: quiet, sql: testSql(), qstash });

  assert.deepEqual(await relay.sweep({ asOf, producer }), { claimed: 1, published: 0, failed: 1 });
  assert.equal(requests, 1);
  const rows = await testSql()`
    select attempts, unreachable, next_attempt_at from public.outbox
    where id in ${testSql()(backlog)} order by attempts desc`;
  assert.deepEqual(rows.map((r) => [r.attempts, r.unreachable]), [[4, true], [3, true], [3, true]]);
  for (const row of rows.slice(1)) {
    assert.equal(row.next_attempt_at.getTime(), asOf.getTime() + 5_000, "untouched");
  }
});

it("pruning deletes published events after a week and inbox records after 90 days, nothing newer", async () => {
  const producer = `relay-test-${crypto.randomUUID()}`;
  const rows = await testSql()`
    insert into public.outbox (type, aggregate_id, producer, status, published_at, created_at, next_attempt_at)
    values ('probe.old', 'a', ${producer}, 'published', now() - interval '8 days', now() - interval '8 days', now()),
           ('probe.recent', 'a', ${producer}, 'published', now() - interval '6 days', now() - interval '6 days', now()),
           ('probe.stuck', 'a', ${producer}, 'failed', null, now() - interval '30 days', now() + interval '1 hour')
    returning id, type`;
  const [oldInbox, recentInbox] = [crypto.randomUUID(), crypto.randomUUID()];
  await testSql()`insert into public.inbox (consumer, event_id, event_type, received_at) values
    ('tests', ${oldInbox}, 'probe.old', now() - interval '91 days'), ('tests', ${recentInbox}, 'probe.recent', now())`;
  const relay = createRelay({
    config: testConfig(),
    log: quiet,
    sql: testSql(),
    qstash: recordingPublisher().qstash,
  });
  while ((await relay.prune()).outbox) { /* other runs' old rows too, batch by batch */ }
  const left = await testSql()`select type from public.outbox where producer = ${producer} order by type`;
  assert.deepEqual(left.map((r) => r.type), ["probe.recent", "probe.stuck"]);
  const inbox =
    await testSql()`select event_id from public.inbox where event_id in (${oldInbox}, ${recentInbox})`;
  assert.deepEqual(inbox.map((r) => r.event_id), [recentInbox]);
  assert.equal(rows.length, 3);
});
