import assert from "node:assert/strict";
import { it, testEnv } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { qstashSignature } from "../events/helpers.ts";

const sweepUrl = () => `${testEnv().FUNCTIONS_PUBLIC_URL}/notifications/events/sweep`;
async function sweep(headers: Record<string, string>) {
  const response = await fetch(sweepUrl(), { method: "POST", headers });
  return { status: response.status, body: await response.json() };
}

it("POST /notifications/events/sweep with the secret runs the outbox, delivery and dead-letter sweeps", async () => {
  const { status, body } = await sweep({ authorization: `Bearer ${testEnv().RELAY_SWEEP_SECRET}` });
  assert.equal(status, 200);
  assert.deepEqual(Object.keys(body.outbox).sort(), ["claimed", "failed", "published"]);
  assert.deepEqual(Object.keys(body.deliveries).sort(), ["claimed", "dead", "failed", "sent", "skipped"]);
  // The redrive runs at most every RELAY_DEAD_LETTER_INTERVAL_MS: null when the stack's sweep just ran it.
  if (body.dead_letters !== null) {
    assert.deepEqual(Object.keys(body.dead_letters).sort(), ["cleared", "kept", "redriven"]);
  }
});

it("a QStash schedule's signed call to the sweep is accepted", async () => {
  const signature = await qstashSignature("", sweepUrl());
  assert.equal((await sweep({ "upstash-signature": signature })).status, 200);
});

it("the sweep refuses callers without the secret or a valid signature (401)", async () => {
  const attempts: Record<string, string>[] = [
    {},
    { authorization: "Bearer wrong-secret-wrong-secret" },
    { "upstash-signature": await qstashSignature("", "https://elsewhere.example/sweep") },
    { "upstash-signature": await qstashSignature("", sweepUrl(), { key: "sig_forged" }) },
  ];
  for (const headers of attempts) {
    const { status, body } = await sweep(headers);
    assert.equal(status, 401, JSON.stringify(headers));
    assert.equal(body.code, "unauthorized");
  }
});

it("the sweep and the events endpoint stay out of the public OpenAPI document", async () => {
  const { body } = await (await api()).json("GET", "/openapi.json");
  const paths = Object.keys(body.paths);
  assert.ok(paths.includes("/notifications/fcm-token"));
  assert.ok(paths.includes("/admin/events/outbox"));
  assert.deepEqual(paths.filter((p) => p.startsWith("/events")), []);
});
