import assert from "node:assert/strict";
import { createEmailSender, type EmailSender } from "../../shared/email.ts";
import { createApp as createNotificationsApp } from "../../functions/notifications/app.ts";
import type { NotificationsPlatform } from "../../functions/notifications/config.ts";
import { testPlatform } from "../support/platform.ts";
import { createLogger } from "../../shared/log.ts";
import { createDeliveryDispatcher, MAX_ATTEMPTS } from "../../functions/notifications/deliveries.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { it, testConfig } from "../support/env.ts";
import { emailsTo, waitFor } from "../events/helpers.ts";

const quiet = createLogger("deliveries-test", "error");
const noPush = { enabled: false, send: () => Promise.reject(new Error("unused")) };

/** An e-mail delivery row as a handler writes it, not due before `send` claims it by id. */
async function emailRow(to: string, attempts = 0): Promise<string> {
  const [row] = await testSql()`
    insert into public.notification_deliveries (usuario_id, channel, event_id, payload, attempts, next_attempt_at)
    select id, 'email', gen_random_uuid(), ${
    testSql().json({ to, subject: "Prueba", html: "<p>x</p>", text: "x" })
  },
           ${attempts}, now() + interval '1 hour'
    from public.usuarios where email = ${to}
    returning id`;
  return row.id;
}
const rowOf = async (id: string) =>
  (await testSql()`select status, attempts, last_error, sent_at from public.notification_deliveries where id = ${id}`)[
    0
  ];

function failingEmail(result: { retryable: boolean }): EmailSender & { calls: number } {
  const sender = {
    calls: 0,
    send() {
      sender.calls++;
      return Promise.resolve({ status: "error" as const, error: "e-mail API 503", ...result });
    },
  };
  return sender;
}

it("an e-mail the provider could not take is retried by the stack's sweep and reaches the person once", async () => {
  const user = await createAccount("CLIENTE");
  const id = await emailRow(user.email);
  const down = failingEmail({ retryable: true });
  const dispatcher = createDeliveryDispatcher({
    sql: testSql(),
    log: quiet,
    config: testConfig(),
    email: down,
    push: noPush,
  });
  assert.deepEqual(await dispatcher.send([id]), { claimed: 1, sent: 0, skipped: 0, failed: 1, dead: 0 });
  const failed = await rowOf(id);
  assert.equal(failed.status, "failed");
  assert.equal(failed.last_error, "e-mail API 503");
  // The provider is back: the scheduled sweep sends it through the real (stand-in) provider.
  await waitFor(() => rowOf(id).then((r) => r.status === "sent"), { what: "resent" });
  assert.equal((await rowOf(id)).attempts, 2);
  assert.equal((await emailsTo(user.email)).length, 1);
  assert.equal(down.calls, 1);
});

it("an e-mail the provider refuses for good (4xx) is given up at once: dead, not retried", async () => {
  const user = await createAccount("CLIENTE");
  const id = await emailRow(user.email);
  const refused = failingEmail({ retryable: false });
  const dispatcher = createDeliveryDispatcher({
    sql: testSql(),
    log: quiet,
    config: testConfig(),
    email: refused,
    push: noPush,
  });
  assert.equal((await dispatcher.send([id])).dead, 1);
  assert.equal((await rowOf(id)).status, "dead");
});

it(`a delivery still failing after ${MAX_ATTEMPTS} attempts is given up (dead)`, async () => {
  const user = await createAccount("CLIENTE");
  const id = await emailRow(user.email, MAX_ATTEMPTS - 1);
  const down = failingEmail({ retryable: true });
  const dispatcher = createDeliveryDispatcher({
    sql: testSql(),
    log: quiet,
    config: testConfig(),
    email: down,
    push: noPush,
  });
  assert.equal((await dispatcher.send([id])).dead, 1);
  const row = await rowOf(id);
  assert.equal(row.status, "dead");
  assert.equal(row.attempts, MAX_ATTEMPTS);
});

it("a delivery already claimed is not sent again by a second dispatcher", async () => {
  const user = await createAccount("CLIENTE");
  const id = await emailRow(user.email);
  let calls = 0;
  const slow: EmailSender = {
    send: () => {
      calls++;
      return new Promise((r) => setTimeout(() => r({ status: "sent", id: "x" }), 200));
    },
  };
  const make = () =>
    createDeliveryDispatcher({ sql: testSql(), log: quiet, config: testConfig(), email: slow, push: noPush });
  const [a, b] = await Promise.all([make().send([id]), make().send([id])]);
  assert.equal(a.sent + b.sent, 1);
  assert.equal(calls, 1);
});

it("closing the notifications function's platform lets its after-commit deliveries finish first", async () => {
  const user = await createAccount("CLIENTE");
  const id = await emailRow(user.email);
  const platform = testPlatform("notifications");
  // The function's app hands its own dispatcher's drain to the platform.
  const drains: unknown[] = [];
  createNotificationsApp({ ...platform, drainOnClose: (d) => drains.push(d) } as NotificationsPlatform);
  assert.equal(drains.length, 1);
  const dispatcher = createDeliveryDispatcher({
    sql: platform.db.sql,
    log: quiet,
    config: testConfig(),
    email: createEmailSender(testConfig()),
    push: noPush,
  });
  platform.drainOnClose(dispatcher.drain);
  dispatcher.sendSoon([id]);
  // At once, as a function host shutting down would: the e-mail still goes, on the open connections.
  await platform.close();
  const row = await rowOf(id);
  assert.equal(row.status, "sent", JSON.stringify(row));
  assert.equal((await emailsTo(user.email)).length, 1);
});
