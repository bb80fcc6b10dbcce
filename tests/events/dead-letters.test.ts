import assert from "node:assert/strict";
import { Client } from "@upstash/qstash";
import { createDeadLetterRedrive } from "../../shared/dead-letters.ts";
import { createLogger } from "../../shared/log.ts";
import { createQStashDeadLetters, type QStashDeadLetters } from "../../shared/qstash.ts";
import { startQStashStandIn } from "../fakes/qstash.ts";
import { testSql } from "../support/accounts.ts";
import { it, testConfig } from "../support/env.ts";
import { waitFor } from "./helpers.ts";

/**
 * The redrive's rules against the real database and a QStash stand-in of this file, whose
 * deliveries go to a subscriber stand-in of each test (its own URL: its own dead letters and its
 * own run schedule) that answers as the test says. QStash gives up after the first attempt.
 */
const keys = { token: "tok-dlq", currentSigningKey: "sig_current_dlq", nextSigningKey: "sig_next_dlq" };
const qstash = startQStashStandIn({ ...keys, retryBaseMs: 20, defaultRetries: 0 });
const client = new Client({ baseUrl: qstash.url, token: keys.token, devMode: false, retry: false });

/** A `notifications` function that answers `status` (489: non-retryable) and counts deliveries. */
function subscriber(status: () => number) {
  const received: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    received.push(await req.text());
    const code = status();
    return new Response("{}", {
      status: code,
      headers: code === 489 ? { "upstash-nonretryable-error": "true" } : {},
    });
  });
  const base = `http://127.0.0.1:${server.addr.port}/functions/v1`;
  const config = testConfig({
    QSTASH_URL: qstash.url,
    QSTASH_TOKEN: keys.token,
    FUNCTIONS_PUBLIC_URL: base,
    EVENT_SUBSCRIBERS: "notifications=*",
    RELAY_DEAD_LETTER_MAX_REDRIVES: "2",
    RELAY_DEAD_LETTER_INTERVAL_MS: "60000",
  });
  const errors: Record<string, unknown>[] = [];
  const log = createLogger("dlq-test", "error", (line) => errors.push(JSON.parse(line)));
  const url = `${base}/notifications/events`;
  const deadLetters = createQStashDeadLetters(config);
  return {
    url,
    received,
    errors,
    config,
    redrive: (dlq?: QStashDeadLetters) => createDeadLetterRedrive({ config, log, sql: testSql(), dlq }),
    /** The dead letters addressed to it, once there are `n`. */
    deadLetters: (n: number) =>
      waitFor(async () => {
        const { messages } = await deadLetters.list({ urls: [url], count: 100 });
        return messages.length === n ? messages : null;
      }, { what: `${n} dead letter(s)` }),
    stop: () => server.shutdown(),
  };
}

/** Publishes an event envelope to `url` as the relay does; answers the event id. */
async function publishEvent(url: string): Promise<string> {
  const id = crypto.randomUUID();
  const envelope = {
    id,
    type: "probe.dead",
    aggregate_id: id,
    producer: "tests",
    payload: {},
    created_at: "",
  };
  await client.publishJSON({ url, body: envelope });
  return id;
}

async function outcomesOf(eventId: string): Promise<string[]> {
  const rows = await testSql()`select outcome from public.dead_letters where event_id = ${eventId}
    order by decided_at`;
  return rows.map((r) => r.outcome);
}

it("a dead letter whose event the subscriber's inbox has is deleted from the DLQ, not redriven", async () => {
  const sub = subscriber(() => 503);
  const eventId = await publishEvent(sub.url);
  await sub.deadLetters(1);
  await testSql()`insert into public.inbox (consumer, event_id, event_type)
    values ('notifications', ${eventId}, 'probe.dead')`;
  assert.deepEqual(await sub.redrive().redrive(), { redriven: 0, cleared: 1, kept: 0 });
  await sub.deadLetters(0);
  assert.equal(sub.received.length, 1, "not delivered again");
  assert.deepEqual(await outcomesOf(eventId), ["cleared"]);
  await sub.stop();
});

it("a dead letter our receiver refused as malformed (489) is kept and logged at error once", async () => {
  const sub = subscriber(() => 489);
  const eventId = await publishEvent(sub.url);
  await sub.deadLetters(1);
  const redrive = sub.redrive();
  assert.deepEqual(await redrive.redrive(), { redriven: 0, cleared: 0, kept: 1 });
  assert.deepEqual(await redrive.redrive(), { redriven: 0, cleared: 0, kept: 1 });
  await sub.deadLetters(1);
  assert.equal(sub.received.length, 1);
  assert.equal(sub.errors.length, 1, "logged once");
  assert.equal(sub.errors[0].msg, "dead letter kept for a human");
  assert.deepEqual([sub.errors[0].event_id, sub.errors[0].outcome, sub.errors[0].response_status], [
    eventId,
    "malformed",
    489,
  ]);
  assert.deepEqual(await outcomesOf(eventId), ["malformed"]);
  await sub.stop();
});

it("a body that is not one of our events is kept and logged once", async () => {
  const sub = subscriber(() => 500);
  await client.publishJSON({ url: sub.url, body: { hello: "world" } });
  await sub.deadLetters(1);
  const redrive = sub.redrive();
  assert.deepEqual(await redrive.redrive(), { redriven: 0, cleared: 0, kept: 1 });
  assert.deepEqual(await redrive.redrive(), { redriven: 0, cleared: 0, kept: 1 });
  assert.deepEqual(sub.errors.map((e) => e.outcome), ["unrecognized"]);
  await sub.stop();
});

it("a subscriber that keeps failing is redriven RELAY_DEAD_LETTER_MAX_REDRIVES times, then kept and logged once", async () => {
  const sub = subscriber(() => 503);
  const eventId = await publishEvent(sub.url);
  const redrive = sub.redrive();
  for (let n = 1; n <= 2; n++) {
    await sub.deadLetters(1);
    assert.deepEqual(await redrive.redrive(), { redriven: 1, cleared: 0, kept: 0 }, `redrive ${n}`);
    await waitFor(() => Promise.resolve(sub.received.length === n + 1), { what: `delivery ${n + 1}` });
  }
  await sub.deadLetters(1);
  assert.deepEqual(await redrive.redrive(), { redriven: 0, cleared: 0, kept: 1 });
  assert.deepEqual(await redrive.redrive(), { redriven: 0, cleared: 0, kept: 1 });
  await sub.deadLetters(1);
  assert.equal(sub.received.length, 3, "one delivery and two redrives");
  assert.deepEqual(sub.errors.map((e) => [e.event_id, e.outcome]), [[eventId, "capped"]]);
  assert.deepEqual(await outcomesOf(eventId), ["redriven", "redriven", "capped"]);
  await sub.stop();
});

it("a redrive QStash does not take is released: the run reports it and the next one redrives", async () => {
  let up = false;
  const sub = subscriber(() => (up ? 200 : 503));
  const eventId = await publishEvent(sub.url);
  await sub.deadLetters(1);
  const real = createQStashDeadLetters(sub.config);
  const failing: QStashDeadLetters = { ...real, retry: () => Promise.reject(new Error("QStash is down")) };
  const report = await sub.redrive(failing).redrive();
  assert.deepEqual(report, { redriven: 0, cleared: 0, kept: 0, error: "QStash is down" });
  assert.deepEqual(await outcomesOf(eventId), []);
  up = true;
  assert.deepEqual(await sub.redrive().redrive(), { redriven: 1, cleared: 0, kept: 0 });
  await waitFor(() => Promise.resolve(sub.received.length === 2), { what: "the redriven delivery" });
  await sub.deadLetters(0);
  assert.deepEqual(sub.errors, []);
  await sub.stop();
});

it("the sweep redrives at most every RELAY_DEAD_LETTER_INTERVAL_MS (null when not due)", async () => {
  const sub = subscriber(() => 200);
  const redrive = sub.redrive();
  assert.deepEqual(await redrive.sweep(), { redriven: 0, cleared: 0, kept: 0 });
  assert.equal(await redrive.sweep(), null);
  assert.equal(await sub.redrive().sweep(), null, "another isolate waits too");
  await sub.stop();
});
