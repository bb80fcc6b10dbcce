import assert from "node:assert/strict";
import { Filter, Timestamp } from "firebase-admin/firestore";
import type { Firestore, Query } from "firebase-admin/firestore";
import { withFirestore } from "./firestore-test-kit.ts";

async function seedMessages(db: Firestore, chatId: string) {
  const batch = db.batch();
  for (let i = 1; i <= 6; i++) {
    batch.set(db.doc(`messages/${chatId}/messages/m${i}`), {
      senderId: i % 2 ? "ana" : "beto",
      text: `mensaje ${i}`,
      read: i > 4,
      timestamp: Timestamp.fromMillis(1_700_000_000_000 + i * 1000),
    });
  }
  batch.set(db.doc("messages/other/messages/x1"), {
    senderId: "ana",
    timestamp: Timestamp.now(),
    read: false,
  });
  await batch.commit();
}

Deno.test("Firestore stand-in: a subcollection query orders by timestamp desc with where and limit", () =>
  withFirestore(async ({ firestore }) => {
    const ids = await firestore.run(async (db) => {
      await seedMessages(db, "c1");
      const snap = await db.collection("messages/c1/messages")
        .where("senderId", "==", "ana").orderBy("timestamp", "desc").limit(2).get();
      return snap.docs.map((d) => d.id);
    });
    assert.deepEqual(ids, ["m5", "m3"]);
  }));

Deno.test("Firestore stand-in: cursors, offset, inequality, in, OR and limitToLast", () =>
  withFirestore(async ({ firestore }) => {
    await firestore.run((db) => seedMessages(db, "c2"));
    const messages = (db: Firestore) => db.collection("messages/c2/messages");
    const ids = (q: Query) => firestore.run(async () => (await q.get()).docs.map((d) => d.id));
    const db = await firestore.db();
    const asc = messages(db).orderBy("timestamp");
    const third = await firestore.run(() => messages(db).doc("m3").get());
    assert.deepEqual(await ids(asc.startAfter(third).limit(2)), ["m4", "m5"]);
    assert.deepEqual(await ids(asc.startAt(third).endBefore(Timestamp.fromMillis(1_700_000_005_000))), [
      "m3",
      "m4",
    ]);
    assert.deepEqual(await ids(asc.offset(4)), ["m5", "m6"]);
    assert.deepEqual(await ids(asc.limitToLast(2)), ["m5", "m6"]);
    assert.deepEqual(await ids(messages(db).where("senderId", "!=", "ana").where("read", "==", false)), [
      "m2",
      "m4",
    ]);
    assert.deepEqual(await ids(messages(db).where("text", "in", ["mensaje 1", "mensaje 6"])), ["m1", "m6"]);
    assert.deepEqual(
      await ids(
        messages(db).where(
          Filter.or(Filter.where("read", "==", true), Filter.where("text", "==", "mensaje 1")),
        ),
      ),
      ["m1", "m5", "m6"],
    );
    const group = await firestore.run(async () =>
      (await db.collectionGroup("messages").where("senderId", "==", "ana").get()).size
    );
    assert.equal(group, 4);
  }));

Deno.test("Firestore stand-in: count aggregation over a filtered subcollection", () =>
  withFirestore(async ({ firestore }) => {
    const counts = await firestore.run(async (db) => {
      await seedMessages(db, "c3");
      const all = await db.collection("messages/c3/messages").count().get();
      const unread = await db.collection("messages/c3/messages")
        .where("senderId", "!=", "ana").where("read", "==", false).count().get();
      return [all.data().count, unread.data().count];
    });
    assert.deepEqual(counts, [6, 2]);
  }));
