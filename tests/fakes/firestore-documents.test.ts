import assert from "node:assert/strict";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { storedDocument, withFirestore } from "./firestore-test-kit.ts";

Deno.test("Firestore stand-in: set, get and update with merge round-trip through firebase-admin", () =>
  withFirestore(async ({ firestore, standIn }) => {
    const ref = await firestore.run(async (db) => {
      const ref = db.doc("chats/chat-1");
      await ref.set({ participants: ["a", "b"], lastMessage: { text: "hola", senderId: "a" }, n: 1 });
      await ref.set({ lastMessage: { text: "chau" }, extra: true }, { merge: true });
      await ref.update({ n: 2, "lastMessage.senderId": "b" });
      return ref;
    });
    const snap = await firestore.run(() => ref.get());
    assert.equal(snap.exists, true);
    assert.deepEqual(snap.data(), {
      participants: ["a", "b"],
      lastMessage: { text: "chau", senderId: "b" },
      n: 2,
      extra: true,
    });
    const stored = await storedDocument(standIn, "chats/chat-1");
    assert.equal(stored.data.lastMessage.text, "chau");
    assert.equal((await firestore.run((db) => db.doc("chats/none").get())).exists, false);
  }));

Deno.test("Firestore stand-in: create on an existing document fails with ALREADY_EXISTS (code 6)", () =>
  withFirestore(async ({ firestore }) => {
    await firestore.run((db) => db.doc("chats/dup").create({ n: 1 }));
    await assert.rejects(
      firestore.run((db) => db.doc("chats/dup").create({ n: 2 })),
      (error: { code?: number; message: string }) =>
        error.code === 6 && /already exists/i.test(error.message),
    );
    await assert.rejects(
      firestore.run((db) => db.doc("chats/missing").update({ n: 2 })),
      (error: { code?: number }) => error.code === 5,
    );
    assert.equal((await firestore.run((db) => db.doc("chats/dup").get())).get("n"), 1);
  }));

Deno.test("Firestore stand-in: serverTimestamp, increment, arrayUnion/arrayRemove and delete", () =>
  withFirestore(async ({ firestore }) => {
    const before = Date.now();
    const snap = await firestore.run(async (db) => {
      const ref = db.doc("user_chats/u1/chats/c1");
      await ref.set({ unreadCount: FieldValue.increment(1), lastMessageTime: FieldValue.serverTimestamp() });
      await ref.update({ unreadCount: FieldValue.increment(2), tags: FieldValue.arrayUnion("a", "b") });
      await ref.update({ tags: FieldValue.arrayUnion("b", "c"), ratio: FieldValue.increment(0.5) });
      await ref.update({ tags: FieldValue.arrayRemove("a") });
      return await ref.get();
    });
    assert.equal(snap.get("unreadCount"), 3);
    assert.equal(snap.get("ratio"), 0.5);
    assert.deepEqual(snap.get("tags"), ["b", "c"]);
    const time = snap.get("lastMessageTime");
    assert.ok(time instanceof Timestamp);
    assert.ok(time.toMillis() >= before - 1 && time.toMillis() <= Date.now() + 1);
    await firestore.run((db) => db.doc("user_chats/u1/chats/c1").delete());
    assert.equal((await firestore.run((db) => db.doc("user_chats/u1/chats/c1").get())).exists, false);
  }));

Deno.test("Firestore stand-in: a batch writes three paths atomically", () =>
  withFirestore(async ({ firestore, standIn }) => {
    await firestore.run((db) => {
      const batch = db.batch();
      batch.set(db.doc("chats/c9"), { participants: ["a", "b"], updatedAt: FieldValue.serverTimestamp() });
      batch.set(db.doc("messages/c9/messages/m1"), { text: "hola", senderId: "a" });
      batch.set(db.doc("user_chats/b/chats/c9"), { unreadCount: FieldValue.increment(1) }, { merge: true });
      return batch.commit();
    });
    const listed = await (await fetch(`${standIn.url}/stand-in/documents?prefix=`)).json();
    assert.deepEqual(
      listed.documents.map((d: { path: string }) => d.path),
      ["chats/c9", "messages/c9/messages/m1", "user_chats/b/chats/c9"],
    );
    const times = new Set(listed.documents.map((d: { updateTime: string }) => d.updateTime));
    assert.equal(times.size, 1, "one commit time for the whole batch");

    // A failing write (create on an existing path) leaves the other writes of its batch unapplied.
    await assert.rejects(firestore.run((db) => {
      const batch = db.batch();
      batch.set(db.doc("chats/c10"), { n: 1 });
      batch.create(db.doc("chats/c9"), { n: 1 });
      return batch.commit();
    }));
    assert.equal(await storedDocument(standIn, "chats/c10"), null);
  }));
