import assert from "node:assert/strict";
import { it } from "../support/env.ts";
import { notificationsDownPastRetries } from "./dead-letters.ts";

it("notifications down past QStash's retries: the sweep redrives the dead letters once it is back, each handled once", async () => {
  const result = await notificationsDownPastRetries();
  assert.equal(
    result.deadLettered,
    result.handled.length * result.handled[0].subscribers,
    "every delivery died",
  );
  assert.equal(result.deliveredEarly, 0);
  assert.notEqual(result.recoveryMs, null, "every event arrived after recovery");
  for (const h of result.handled) assert.deepEqual([h.notifications, h.inbox], [1, h.subscribers], h.eventId);
  assert.equal(result.deadLettersLeft, 0, "nothing left in the DLQ");
  assert.deepEqual(result.violations, []);
});
