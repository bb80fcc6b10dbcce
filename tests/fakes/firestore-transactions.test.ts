import assert from "node:assert/strict";
import { withFirestore } from "./firestore-test-kit.ts";

Deno.test("Firestore stand-in: a transaction reads then writes, and a failed callback rolls back", () =>
  withFirestore(async ({ firestore, standIn }) => {
    const result = await firestore.run(async (db) => {
      await db.doc("chats/t1").set({ n: 1 });
      return await db.runTransaction(async (tx) => {
        const snap = await tx.get(db.doc("chats/t1"));
        const missing = await tx.get(db.doc("chats/t2"));
        tx.update(db.doc("chats/t1"), { n: snap.get("n") + 1 });
        tx.create(db.doc("chats/t2"), { seen: missing.exists });
        return snap.get("n");
      });
    });
    assert.equal(result, 1);
    const after = await firestore.run((db) => db.getAll(db.doc("chats/t1"), db.doc("chats/t2")));
    assert.deepEqual(after.map((s) => s.data()), [{ n: 2 }, { seen: false }]);

    await assert.rejects(
      firestore.run((db) =>
        db.runTransaction(async (tx) => {
          await tx.get(db.doc("chats/t1"));
          tx.set(db.doc("chats/t1"), { n: 100 });
          throw new Error("callback failed");
        })
      ),
      /callback failed/,
    );
    assert.equal((await firestore.run((db) => db.doc("chats/t1").get())).get("n"), 2);
    const stats = await (await fetch(`${standIn.url}/stand-in/stats`)).json();
    assert.equal(stats.open_transactions, 0, "the failed transaction was rolled back");
  }));

Deno.test("Firestore stand-in: two concurrent transaction loops of 10 increments each reach 20", () =>
  withFirestore(async ({ firestore, standIn }) => {
    const db = await firestore.db();
    const counter = db.doc("counters/chat");
    const loop = async () => {
      for (let i = 0; i < 10; i++) {
        await db.runTransaction(async (tx) => {
          const snap = await tx.get(counter);
          // A pause between read and write makes the two loops overlap every time.
          await new Promise((resolve) => setTimeout(resolve, 5));
          tx.set(counter, { value: (snap.get("value") ?? 0) + 1 });
        });
      }
    };
    await Promise.all([loop(), loop()]);
    assert.equal((await counter.get()).get("value"), 20);
    const stats = await (await fetch(`${standIn.url}/stand-in/stats`)).json();
    assert.ok(stats.aborted > 0, "contention produced ABORTED commits that firebase-admin retried");
  }, { timeoutMs: 30_000 }));
