import assert from "node:assert/strict";
import { AppError } from "../../shared/errors.ts";
import { createFirestore } from "../../shared/firestore.ts";
import { startFirestoreStandIn } from "./firestore-server.ts";
import { standInPost, withFirestore } from "./firestore-test-kit.ts";

const TIMEOUT_MS = 1_500;
// The point is "bounded by our deadline", not the SDK's own retry horizon (minutes): the slack is
// generous so a loaded CI machine does not fail it.
const SLACK_MS = 4_000;

/** The first call loads firebase-admin and opens a connection: on a loaded machine that can take
 * longer than the deadline under test, so warm up with retries before injecting the fault. */
async function warmUp(call: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1;; attempt++) {
    try {
      return void await call();
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

async function assertUnavailableWithinDeadline(call: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await assert.rejects(call(), (error) => {
    assert.ok(error instanceof AppError, `expected AppError, got ${error}`);
    assert.equal(error.code, "service_unavailable");
    assert.equal(error.status, 503);
    return true;
  });
  const elapsed = performance.now() - started;
  assert.ok(elapsed < TIMEOUT_MS + SLACK_MS, `took ${Math.round(elapsed)} ms`);
}

Deno.test("shared/firestore: a stand-in answering 503 UNAVAILABLE yields service_unavailable in time", () =>
  withFirestore(async ({ firestore, standIn }) => {
    await warmUp(() => firestore.run((db) => db.doc("chats/warm").set({ ok: true })));
    await standInPost(standIn, "fault", { unavailable: true });
    await assertUnavailableWithinDeadline(() => firestore.run((db) => db.doc("chats/warm").get()));
    await assertUnavailableWithinDeadline(() => firestore.run((db) => db.doc("chats/x").set({ n: 1 })));
    await standInPost(standIn, "fault", { unavailable: false });
    assert.equal((await firestore.run((db) => db.doc("chats/warm").get())).get("ok"), true);
  }, { timeoutMs: TIMEOUT_MS }));

Deno.test("shared/firestore: a stand-in that never answers yields service_unavailable at the deadline", () =>
  withFirestore(async ({ firestore, standIn }) => {
    await warmUp(() => firestore.run((db) => db.doc("chats/warm").get()));
    await standInPost(standIn, "fault", { delayMs: 60_000 });
    await assertUnavailableWithinDeadline(() => firestore.run((db) => db.doc("chats/warm").get()));
    await standInPost(standIn, "fault", { delayMs: 0 });
  }, { timeoutMs: TIMEOUT_MS }));

Deno.test("shared/firestore: a closed port yields service_unavailable in time", async () => {
  const standIn = await startFirestoreStandIn();
  await standIn.stop();
  const firestore = createFirestore({
    serviceAccount: standIn.serviceAccount,
    emulatorHost: standIn.host,
    timeoutMs: TIMEOUT_MS,
  });
  try {
    await firestore.db();
    await assertUnavailableWithinDeadline(() => firestore.run((db) => db.doc("chats/a").get()));
    await assertUnavailableWithinDeadline(() => firestore.run((db) => db.doc("chats/a").set({ n: 1 })));
  } finally {
    await firestore.close();
  }
});

Deno.test("shared/firestore: a service account without a key fails at creation, not on first use", () => {
  assert.throws(
    () =>
      createFirestore({
        serviceAccount: { project_id: "p", client_email: "e", private_key: "" },
        timeoutMs: 1000,
      }),
    /private_key/,
  );
});
