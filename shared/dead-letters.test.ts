import assert from "node:assert/strict";
import { decide, type Letter, readLetter } from "./dead-letters.ts";

const eventId = "0b6f6c1e-2f7a-4c55-9d1e-5a8b3f7c2d10";
const letter = (overrides: Partial<Letter> = {}): Letter => ({
  dlqId: "dlq_1",
  consumer: "notifications",
  eventId,
  responseStatus: 503,
  responseBody: "",
  ...overrides,
});
const fresh = { inInbox: false, redrives: 0 };

Deno.test("a dead letter of an event its subscriber has not handled is redriven until the cap", () => {
  assert.equal(decide(letter(), fresh, 3), "redriven");
  assert.equal(decide(letter(), { inInbox: false, redrives: 2 }, 3), "redriven");
  assert.equal(decide(letter(), { inInbox: false, redrives: 3 }, 3), "capped");
  assert.equal(decide(letter(), fresh, 0), "capped", "a cap of 0 never redrives");
  assert.equal(decide(letter({ responseStatus: null }), fresh, 3), "redriven", "no answer at all");
});

Deno.test("a dead letter whose event the inbox has is cleared; 489 and foreign bodies are kept", () => {
  assert.equal(decide(letter(), { inInbox: true, redrives: 5 }, 3), "cleared");
  assert.equal(decide(letter({ responseStatus: 489 }), fresh, 3), "malformed");
  assert.equal(decide(letter({ responseStatus: 489, eventId: null }), fresh, 3), "malformed");
  assert.equal(decide(letter({ eventId: null }), fresh, 3), "unrecognized");
});

Deno.test("readLetter: the subscriber from the URL, the event id from the body", () => {
  const consumers = new Map([[
    "https://x.example/functions/v1/notifications/events",
    "notifications" as const,
  ]]);
  const url = "https://x.example/functions/v1/notifications/events";
  const read = (body: string | undefined, at = url) =>
    readLetter(
      { dlqId: "dlq_9", url: at, body, responseStatus: 0, responseBody: "x".repeat(900) },
      consumers,
    );
  const ours = read(JSON.stringify({ id: eventId.toUpperCase(), type: "user.registered" }));
  assert.deepEqual(ours, {
    dlqId: "dlq_9",
    consumer: "notifications",
    eventId,
    responseStatus: null,
    responseBody: "x".repeat(500),
  });
  assert.equal(read("{not json")?.eventId, null);
  assert.equal(read(JSON.stringify({ id: "not-a-uuid" }))?.eventId, null);
  assert.equal(read(JSON.stringify([eventId]))?.eventId, null);
  assert.equal(read(undefined)?.eventId, null);
  assert.equal(read("{}", "https://elsewhere.example/events"), null);
});
