import assert from "node:assert/strict";
import { parseSubscribers } from "./config-parsers.ts";
import { backoffMs } from "./outbox-store.ts";
import { eventsUrl, subscribersOf } from "./relay.ts";

Deno.test("subscriptions match an exact type, an aggregate wildcard or everything", () => {
  const subs = parseSubscribers("notifications=*; professionals=review.created,job.*");
  assert.deepEqual(subscribersOf("review.created", subs), ["notifications", "professionals"]);
  assert.deepEqual(subscribersOf("job.approved", subs), ["notifications", "professionals"]);
  assert.deepEqual(subscribersOf("user.registered", subs), ["notifications"]);
  assert.deepEqual(subscribersOf("user.registered", parseSubscribers("professionals=job.*")), []);
});

Deno.test("a subscriber list naming an unknown function or a bad pattern is refused", () => {
  assert.throws(() => parseSubscribers("mailer=*"), /not a function/);
  assert.throws(() => parseSubscribers("notifications="), /needs/);
  assert.throws(() => parseSubscribers("notifications=User.Created"), /needs/);
});

Deno.test("a function's events URL is its public URL plus /<fn>/events", () => {
  assert.equal(
    eventsUrl({ FUNCTIONS_PUBLIC_URL: "https://ref.supabase.co/functions/v1/" }, "notifications"),
    "https://ref.supabase.co/functions/v1/notifications/events",
  );
  assert.throws(
    () => eventsUrl({ FUNCTIONS_PUBLIC_URL: undefined }, "notifications"),
    /FUNCTIONS_PUBLIC_URL/,
  );
});

Deno.test("backoff doubles per attempt within ±20 % and stops at the cap", () => {
  for (let i = 0; i < 50; i++) {
    const first = backoffMs(1, 1000, 60_000);
    const third = backoffMs(3, 1000, 60_000);
    assert.ok(first >= 800 && first <= 1200, String(first));
    assert.ok(third >= 3200 && third <= 4800, String(third));
    assert.ok(backoffMs(30, 1000, 60_000) <= 72_000);
  }
});
