import assert from "node:assert/strict";
import { emitEvent } from "../../shared/events.ts";
import { startFunctionsHost } from "../../scripts/local/functions-host.ts";
import { startQStashStandIn } from "../fakes/qstash.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { settledViolations } from "../support/invariants.ts";
import { freePort, it, testEnv } from "../support/env.ts";
import { emailsTo, emit, notificationsOf, outboxRow, waitFor } from "./helpers.ts";
import { testPlatform } from "../support/platform.ts";

/**
 * The relay end to end on the local stack: after-commit publishing, rollbacks, crash recovery by
 * the stack's scheduled sweep, QStash down and back, and the subscriber down and back.
 */

it("an event committed in a transaction reaches the notifications function through QStash", async () => {
  const user = await createAccount("CLIENTE");
  const id = await emit("user.registered", { user_id: user.id, rol: "CLIENTE" });
  const [note] = await waitFor(() => notificationsOf(user.id).then((n) => n.length ? n : null), {
    what: "welcome",
  });
  assert.equal(note.tipo, "BIENVENIDA");
  assert.equal(note.event_id, id);
  const row = await outboxRow(id);
  assert.equal(row.status, "published");
  assert.equal(row.attempts, 1);
  const [mail] = await waitFor(() => emailsTo(user.email).then((m) => m.length ? m : null), {
    what: "welcome e-mail",
  });
  assert.match(mail.subject, /Bienvenido/);
});

it("a secret payload key reaches the subscriber and leaves our outbox copy once QStash has the event", async () => {
  const user = await createAccount("CLIENTE");
  const platform = testPlatform("auth");
  const link = `https://example.test/reset-password?token=${crypto.randomUUID()}`;
  const reset = (tx: never) =>
    emitEvent(tx, {
      type: "password.reset_requested",
      aggregateId: user.id,
      producer: "tests",
      payload: { user_id: user.id, email: user.email, nombre: "Test", reset_url: link },
      secretKeys: ["reset_url"],
    });
  try {
    // Not published yet (a plain transaction: nobody publishes it until the sweep): kept.
    const unpublished = await testSql().begin((tx) => reset(tx as never));
    const [held] =
      await testSql()`select payload, redact_on_publish from public.outbox where id = ${unpublished}`;
    assert.equal(held.payload.reset_url, link);
    assert.deepEqual(held.redact_on_publish, ["reset_url"]);

    const id = await platform.db.asService((tx) => reset(tx as never));
    const [mail] = await waitFor(() => emailsTo(user.email).then((m) => m.length ? m : null), {
      what: "reset e-mail",
    });
    assert.ok(mail.text.includes(link), "the subscriber got the link");
    const [row] =
      await testSql()`select status, payload, redact_on_publish from public.outbox where id = ${id}`;
    assert.equal(row.status, "published");
    assert.deepEqual(row.payload, { user_id: user.id, email: user.email, nombre: "Test" });
    assert.deepEqual(row.redact_on_publish, []);
  } finally {
    await platform.close();
  }
});

it("an event whose transaction rolled back is never written nor published", async () => {
  const user = await createAccount("CLIENTE");
  const platform = testPlatform("auth");
  let emitted = "";
  await assert.rejects(platform.db.asService(async (tx) => {
    emitted = await emitEvent(tx, {
      type: "user.registered",
      aggregateId: user.id,
      producer: "tests",
      payload: { user_id: user.id },
    });
    throw new Error("the business change failed");
  }));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await outboxRow(emitted), undefined);
  assert.equal((await notificationsOf(user.id)).length, 0);
  await platform.close();
});

it("a crash between commit and publish loses nothing: the sweep publishes pending and stuck rows once", async () => {
  const [a, b] = [await createAccount("CLIENTE"), await createAccount("PROFESIONAL")];
  // A plain transaction, as if the process died right after COMMIT: nobody publishes these.
  const [pending, stuck] = await testSql().begin(async (tx) => [
    await emitEvent(tx as never, {
      type: "user.registered",
      aggregateId: a.id,
      producer: "tests",
      payload: { user_id: a.id },
    }),
    await emitEvent(tx as never, {
      type: "user.registered",
      aggregateId: b.id,
      producer: "tests",
      payload: { user_id: b.id },
    }),
  ]);
  // …and one that a relay had claimed when it died (lease already over).
  await testSql()`update public.outbox set status = 'in_progress', attempts = 1,
    next_attempt_at = now() - interval '1 second' where id = ${stuck}`;
  for (const user of [a, b]) {
    await waitFor(() => notificationsOf(user.id).then((n) => n.length > 0), { what: "swept event" });
  }
  for (const id of [pending, stuck]) {
    await waitFor(() => outboxRow(id).then((r) => r.status === "published"), { what: "published" });
  }
  assert.equal((await notificationsOf(a.id)).length, 1);
  assert.equal((await notificationsOf(b.id)).length, 1);
});

it("QStash down: the publish fails and is recorded; the sweep publishes once QStash is back", async () => {
  const env = testEnv();
  const port = freePort();
  const producer = `relay-test-${crypto.randomUUID()}`;
  // A backoff beyond the reach of the stack's own sweep, which would otherwise publish the row as
  // soon as its own QStash takes messages (the next test).
  const platform = testPlatform("auth", {
    QSTASH_URL: `http://127.0.0.1:${port}`,
    RELAY_BACKOFF_BASE_MS: "60000",
    RELAY_BACKOFF_MAX_MS: "600000",
  });
  const user = await createAccount("CLIENTE");
  const id = await emit("user.registered", { user_id: user.id }, { platform, producer });
  const failed = await waitFor(() => outboxRow(id).then((r) => r.status === "failed" ? r : null), {
    what: "failed",
  });
  assert.equal(failed.attempts, 1);
  assert.ok(failed.last_error.length > 0);

  const qstash = startQStashStandIn({
    port,
    token: env.QSTASH_TOKEN,
    currentSigningKey: env.QSTASH_CURRENT_SIGNING_KEY,
    nextSigningKey: env.QSTASH_NEXT_SIGNING_KEY,
    retryBaseMs: 100,
  });
  try {
    // The backoff (a minute) has passed by this sweep's clock.
    const report = await platform.relay.sweep({ asOf: new Date(Date.now() + 120_000), producer });
    assert.deepEqual(report, { claimed: 1, published: 1, failed: 0 });
    const row = await outboxRow(id);
    assert.equal(row.status, "published");
    assert.equal(row.attempts, 2);
    assert.equal(row.last_error, null);
    await waitFor(() => notificationsOf(user.id).then((n) => n.length === 1), { what: "notification" });
    assert.deepEqual(await settledViolations(testSql(), { refs: [user.id, id] }), []);
  } finally {
    await qstash.stop();
    await platform.close();
  }
});

it("after QStash was unreachable, the stack's sweep publishes the row before its backoff is over", async () => {
  // This process's QStash is down; the stack's (shared by its sweep) is up, as after an outage.
  const platform = testPlatform("auth", {
    QSTASH_URL: `http://127.0.0.1:${freePort()}`,
    RELAY_BACKOFF_BASE_MS: "10000",
    RELAY_BACKOFF_MAX_MS: "10000",
  });
  try {
    const user = await createAccount("CLIENTE");
    const id = await emit("user.registered", { user_id: user.id }, { platform });
    await waitFor(() => notificationsOf(user.id).then((n) => n.length === 1), { what: "notification" });
    const [row] = await testSql()`
      select status, attempts, published_at, created_at from public.outbox where id = ${id}`;
    assert.equal(row.status, "published");
    assert.equal(row.attempts, 2, "one attempt that could not reach QStash, then the sweep's");
    // The failed attempt backed off at least 8 s (10 s ± 20 %); the sweep did not wait for it.
    assert.ok(row.published_at.getTime() - row.created_at.getTime() < 8_000);
    assert.deepEqual(await settledViolations(testSql(), { refs: [user.id, id] }), []);
  } finally {
    await platform.close();
  }
});

it("notifications down for a while: QStash retries the delivery and it arrives after recovery", async () => {
  const port = freePort();
  const { FUNCTIONS_PUBLIC_URL: _ignored, ...env } = testEnv();
  const platform = testPlatform("auth", { FUNCTIONS_PUBLIC_URL: `http://127.0.0.1:${port}/functions/v1` });
  const user = await createAccount("CLIENTE");
  const id = await emit("user.registered", { user_id: user.id }, { platform });
  await waitFor(() => outboxRow(id).then((r) => r.status === "published"), { what: "published" });
  await new Promise((r) => setTimeout(r, 400)); // the first deliveries fail: nothing listens
  assert.equal((await notificationsOf(user.id)).length, 0);

  const host = await startFunctionsHost(env, { port, sweepIntervalMs: 0 });
  try {
    await waitFor(() => notificationsOf(user.id).then((n) => n.length === 1), { what: "late delivery" });
    const states = async () => {
      const log = await fetch(`${env.QSTASH_URL}/v2/events`, {
        headers: { authorization: `Bearer ${env.QSTASH_TOKEN}` },
      });
      return ((await log.json()).events as { url: string; state: string }[])
        .filter((e) => e.url.startsWith(`http://127.0.0.1:${port}/`)).map((e) => e.state);
    };
    // QStash logs DELIVERED once it has read the answer, just after the notification was written.
    const log = await waitFor(() => states().then((s) => s.includes("DELIVERED") ? s : null), {
      what: "DELIVERED",
    });
    assert.ok(log.includes("RETRY"), log.join(","));
    assert.deepEqual(await settledViolations(testSql(), { refs: [user.id, id] }), []);
  } finally {
    await host.stop();
    await platform.close();
  }
});
