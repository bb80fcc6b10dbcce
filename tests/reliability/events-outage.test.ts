import assert from "node:assert/strict";
import { it } from "../support/env.ts";
import { eventsOutageOutcome, notificationsDown, qstashDown } from "./events-outage.ts";

it("QStash down: registrations still succeed; their events are published once it is back and notified once", async () => {
  const result = await qstashDown();
  console.log(JSON.stringify(eventsOutageOutcome(result, "qstash down")));
  assert.deepEqual(result.causes, [201, 201, 201]);
  assert.equal(result.deliveredEarly, 0);
  assert.notEqual(result.recoveryMs, null, "every event arrived after recovery");
  for (const h of result.handled) assert.deepEqual([h.notifications, h.inbox], [1, h.subscribers], h.eventId);
  assert.deepEqual(result.violations, []);
});

it("notifications down: events published meanwhile are delivered by QStash's retries once it is back, once each", async () => {
  const result = await notificationsDown();
  console.log(JSON.stringify(eventsOutageOutcome(result, "notifications down")));
  assert.equal(result.deliveredEarly, 0);
  assert.notEqual(result.recoveryMs, null, "every event arrived after recovery");
  for (const h of result.handled) assert.deepEqual([h.notifications, h.inbox], [1, h.subscribers], h.eventId);
  assert.deepEqual(result.violations, []);
});
