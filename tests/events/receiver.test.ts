import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import { envelope, notificationsEventsUrl, notificationsOf, qstashSignature } from "./helpers.ts";

/** POST /notifications/events as QStash would (or as an attacker would), at the public URL. */
async function deliver(body: string, signature?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature) headers["upstash-signature"] = signature;
  const response = await fetch(notificationsEventsUrl(), { method: "POST", headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

async function inboxHas(eventId: string): Promise<boolean> {
  const rows = await testSql()`select 1 from public.inbox where event_id = ${eventId}`;
  return rows.length > 0;
}

async function welcomeEvent() {
  const user = await createAccount("CLIENTE");
  const event = envelope("user.registered", { user_id: user.id, rol: "CLIENTE" });
  return { user, event, body: JSON.stringify(event) };
}

it("a correctly signed delivery is handled once: 200 processed, an inbox row and a notification", async () => {
  const { user, event, body } = await welcomeEvent();
  const response = await deliver(body, await qstashSignature(body, notificationsEventsUrl()));
  assert.equal(response.status, 200);
  assert.deepEqual(response.body, { status: "processed", event_id: event.id });
  assert.ok(await inboxHas(event.id));
  const notes = await notificationsOf(user.id);
  assert.equal(notes.length, 1);
  assert.equal(notes[0].tipo, "BIENVENIDA");
});

it("the same event delivered twice makes one notification; the second answers 200 duplicate", async () => {
  const { user, event, body } = await welcomeEvent();
  const first = await deliver(body, await qstashSignature(body, notificationsEventsUrl()));
  const second = await deliver(body, await qstashSignature(body, notificationsEventsUrl()));
  assert.equal(first.body.status, "processed");
  assert.equal(second.status, 200);
  assert.equal(second.body.status, "duplicate");
  assert.equal((await notificationsOf(user.id)).length, 1);
  const deliveries =
    await testSql()`select channel from public.notification_deliveries where event_id = ${event.id}`;
  assert.deepEqual(deliveries.map((d) => d.channel), ["email"]);
});

it("concurrent redeliveries of one event still make exactly one notification", async () => {
  const { user, body } = await welcomeEvent();
  const results = await Promise.all(
    Array.from(
      { length: 5 },
      async () => deliver(body, await qstashSignature(body, notificationsEventsUrl())),
    ),
  );
  assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 200]);
  assert.equal(results.filter((r) => r.body.status === "processed").length, 1);
  assert.equal((await notificationsOf(user.id)).length, 1);
});

it("a delivery signed with the next signing key (key rotation) is accepted", async () => {
  const { user, body } = await welcomeEvent();
  const signature = await qstashSignature(body, notificationsEventsUrl(), {
    key: testEnv().QSTASH_NEXT_SIGNING_KEY,
  });
  assert.equal((await deliver(body, signature)).status, 200);
  assert.equal((await notificationsOf(user.id)).length, 1);
});

const forgeries: [string, (body: string) => Promise<string | undefined>][] = [
  ["without a signature", () => Promise.resolve(undefined)],
  [
    "signed with another key",
    (b) => qstashSignature(b, notificationsEventsUrl(), { key: "sig_attacker_key" }),
  ],
  ["with an expired signature", (b) => qstashSignature(b, notificationsEventsUrl(), { expiresInS: -60 })],
  // QStash always sets exp five minutes ahead; a signature without one, or valid for a day, would
  // let a captured delivery be replayed long after.
  ["signed without exp", (b) => qstashSignature(b, notificationsEventsUrl(), { withoutExp: true })],
  ["signed with exp a day away", (b) => qstashSignature(b, notificationsEventsUrl(), { expiresInS: 86_400 })],
  ["signed for another URL", (b) => qstashSignature(b, "https://evil.example/notifications/events")],
  [
    "whose body was changed after signing",
    (b) => qstashSignature(b, notificationsEventsUrl(), { bodyHashOf: "{}" }),
  ],
  ["with another issuer", (b) => qstashSignature(b, notificationsEventsUrl(), { issuer: "Mallory" })],
  ["with a garbage signature", () => Promise.resolve("not-a-jwt")],
];
for (const [label, sign] of forgeries) {
  it(`a delivery ${label} is refused with 401 and nothing is stored`, async () => {
    const { user, event, body } = await welcomeEvent();
    const response = await deliver(body, await sign(body));
    assert.equal(response.status, 401);
    assert.equal(response.body.code, "unauthorized");
    assert.equal(await inboxHas(event.id), false);
    assert.equal((await notificationsOf(user.id)).length, 0);
  });
}

it("an event type nobody handles is acknowledged (200 ignored) and recorded", async () => {
  const event = envelope("profile.viewed", { user_id: crypto.randomUUID() });
  const body = JSON.stringify(event);
  const response = await deliver(body, await qstashSignature(body, notificationsEventsUrl()));
  assert.equal(response.status, 200);
  assert.equal(response.body.status, "ignored");
  assert.ok(await inboxHas(event.id));
});

it("a signed but malformed event answers 489 non-retryable (straight to the dead-letter queue)", async () => {
  for (const body of ["{not json", JSON.stringify({ id: "x", type: "user.registered" })]) {
    const response = await deliver(body, await qstashSignature(body, notificationsEventsUrl()));
    assert.equal(response.status, 489);
    assert.equal(response.headers.get("upstash-nonretryable-error"), "true");
  }
});

it("an event missing what its handler needs answers 489 and stores nothing", async () => {
  const user = await createAccount("CLIENTE");
  const event = envelope("password.reset_requested", { user_id: user.id });
  const body = JSON.stringify(event);
  const response = await deliver(body, await qstashSignature(body, notificationsEventsUrl()));
  assert.equal(response.status, 489);
  assert.equal(await inboxHas(event.id), false);
});

it("the events endpoint is not part of the public API (the gateway does not route it)", async () => {
  const { api } = await import("../support/gateway.ts");
  const response = await (await api()).json("POST", "/notifications/events", { body: {} });
  assert.equal(response.status, 404);
});
