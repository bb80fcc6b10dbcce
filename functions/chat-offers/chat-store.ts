import type { DocumentData, FieldValue, Firestore, Timestamp, WriteBatch } from "firebase-admin/firestore";
import type { FirestoreHandle } from "../../shared/firestore.ts";

/**
 * The Firestore documents the existing frontend reads (original-system.md §6.2), written with
 * firebase-admin: `chats/{chatId}`, `messages/{chatId}/messages/{id}` and
 * `user_chats/{userId}/chats/{chatId}`. Every change that touches several documents is one batch
 * (atomic commit), so the room, the message and both participants' lists never disagree.
 */
export type Person = { id: string; name: string; photo: string | null; role: string };
export type Room = {
  chatId: string;
  /** The two participants; written sorted, as the frontend looks chats up by the sorted pair. */
  people: [Person, Person];
  trabajoId: string | null;
  ofertaId: string | null;
};
export type OutgoingMessage = {
  id: string;
  chatId: string;
  sender: Person;
  recipient: Person;
  text: string;
  censored: boolean;
  censorReasons: string[];
  type?: "text" | "system" | "oferta";
  trabajoId: string | null;
  /** Extra fields of a card (offer cards: `oferta_id`, `precio_final`), stored on the message. */
  card?: Record<string, string | number | null>;
};
export type StoredMessage = {
  id: string;
  sender_id: string;
  sender_name: string | null;
  text: string;
  type: string;
  read: boolean;
  timestamp: string | null;
  censored: boolean;
  censor_reasons: string[];
  oferta_id: string | null;
  precio_final: number | null;
};

// The SDK loads lazily (shared/firestore.ts); its values are imported where used.
const fieldValue = async (): Promise<typeof FieldValue> =>
  (await import("firebase-admin/firestore")).FieldValue;

function userChat(room: Room, me: Person, other: Person) {
  return {
    otherUserId: other.id,
    otherUserName: other.name,
    otherUserPhoto: other.photo,
    trabajoId: room.trabajoId,
    chatId: room.chatId,
    userId: me.id,
  };
}

/** Creates the room (and its first message, if any) with both participants' entries. */
export function writeRoom(firestore: FirestoreHandle, room: Room, first: OutgoingMessage | null) {
  return firestore.run(async (db) => {
    const values = await fieldValue();
    const now = values.serverTimestamp();
    const [a, b] = [...room.people].sort((x, y) => (x.id < y.id ? -1 : 1));
    const batch = db.batch();
    batch.set(db.doc(`chats/${room.chatId}`), {
      participants: [a.id, b.id],
      participantsData: Object.fromEntries(
        [a, b].map((p) => [p.id, { name: p.name, photo: p.photo, role: p.role }]),
      ),
      trabajoId: room.trabajoId,
      ofertaId: room.ofertaId,
      createdAt: now,
      updatedAt: now,
      lastMessage: null,
    });
    for (const [me, other] of [[a, b], [b, a]]) {
      batch.set(db.doc(`user_chats/${me.id}/chats/${room.chatId}`), {
        ...userChat(room, me, other),
        lastMessage: "",
        lastMessageTime: now,
        unreadCount: 0,
      });
    }
    if (first) addMessage(db, batch, first, values);
    const results = await batch.commit();
    return isoOf(results[results.length - 1]?.writeTime);
  });
}

/** Stores a message and moves the room's and both participants' "last message". */
export function writeMessage(firestore: FirestoreHandle, message: OutgoingMessage) {
  return firestore.run(async (db) => {
    const values = await fieldValue();
    const batch = db.batch();
    addMessage(db, batch, message, values);
    const results = await batch.commit();
    return isoOf(results[0]?.writeTime);
  });
}

function addMessage(
  db: Firestore,
  batch: WriteBatch,
  m: OutgoingMessage,
  values: typeof FieldValue,
) {
  const now = values.serverTimestamp();
  batch.create(db.doc(`messages/${m.chatId}/messages/${m.id}`), {
    senderId: m.sender.id,
    senderName: m.sender.name,
    senderPhoto: m.sender.photo,
    text: m.text,
    timestamp: now,
    read: false,
    type: m.type ?? "text",
    censored: m.censored,
    censorReasons: m.censorReasons,
    ...m.card,
  });
  const last = { text: m.text, senderId: m.sender.id, timestamp: now };
  batch.set(db.doc(`chats/${m.chatId}`), { lastMessage: last, updatedAt: now }, { merge: true });
  const room = { chatId: m.chatId, trabajoId: m.trabajoId };
  batch.set(db.doc(`user_chats/${m.sender.id}/chats/${m.chatId}`), {
    ...userChat(room as Room, m.sender, m.recipient),
    lastMessage: m.text,
    lastMessageTime: now,
  }, { merge: true });
  batch.set(db.doc(`user_chats/${m.recipient.id}/chats/${m.chatId}`), {
    ...userChat(room as Room, m.recipient, m.sender),
    lastMessage: m.text,
    lastMessageTime: now,
    unreadCount: values.increment(1),
  }, { merge: true });
}

/**
 * A message from the platform itself (payment confirmed, job expired…) seen by both people:
 * `senderId: "system"`, one unread more for each. The id is chosen by the caller, so a retried
 * event handler writes the same document again instead of a second message.
 */
export function writeSystemMessage(
  firestore: FirestoreHandle,
  input: { chatId: string; id: string; text: string; people: [string, string]; link?: Partial<Room> },
) {
  return firestore.run(async (db) => {
    const values = await fieldValue();
    const now = values.serverTimestamp();
    const batch = db.batch();
    batch.set(db.doc(`messages/${input.chatId}/messages/${input.id}`), {
      senderId: "system",
      senderName: "ConectarProfesionales",
      senderPhoto: null,
      text: input.text,
      timestamp: now,
      read: false,
      type: "system",
      censored: false,
      censorReasons: [],
    });
    const room: Record<string, unknown> = {
      lastMessage: { text: input.text, senderId: "system", timestamp: now },
      updatedAt: now,
    };
    if (input.link?.trabajoId !== undefined) room.trabajoId = input.link.trabajoId;
    if (input.link?.ofertaId !== undefined) room.ofertaId = input.link.ofertaId;
    batch.set(db.doc(`chats/${input.chatId}`), room, { merge: true });
    for (const userId of input.people) {
      batch.set(db.doc(`user_chats/${userId}/chats/${input.chatId}`), {
        lastMessage: input.text,
        lastMessageTime: now,
        unreadCount: values.increment(1),
      }, { merge: true });
    }
    await batch.commit();
  });
}

/** Newest first from Firestore, answered oldest first; `before` is an ISO instant (exclusive). */
export function readMessages(
  firestore: FirestoreHandle,
  chatId: string,
  options: { limit: number; before?: Date },
): Promise<{ items: StoredMessage[]; hasMore: boolean }> {
  return firestore.run(async (db) => {
    const { Timestamp } = await import("firebase-admin/firestore");
    let query = db.collection(`messages/${chatId}/messages`).orderBy("timestamp", "desc");
    if (options.before) query = query.where("timestamp", "<", Timestamp.fromDate(options.before));
    const snap = await query.limit(options.limit + 1).get();
    const docs = snap.docs.slice(0, options.limit);
    return { items: docs.map((d) => toStored(d.id, d.data())).reverse(), hasMore: snap.size > options.limit };
  });
}

/** Marks the other party's unread messages read and zeroes my unread count; answers how many. */
export function markRead(firestore: FirestoreHandle, chatId: string, userId: string): Promise<number> {
  return firestore.run(async (db) => {
    const unread = await db.collection(`messages/${chatId}/messages`).where("read", "==", false).get();
    const theirs = unread.docs.filter((d) => d.get("senderId") !== userId);
    const batch = db.batch();
    for (const doc of theirs) batch.update(doc.ref, { read: true });
    batch.set(db.doc(`user_chats/${userId}/chats/${chatId}`), { unreadCount: 0 }, { merge: true });
    await batch.commit();
    return theirs.length;
  });
}

function toStored(id: string, d: DocumentData): StoredMessage {
  return {
    id,
    sender_id: String(d.senderId ?? ""),
    sender_name: typeof d.senderName === "string" ? d.senderName : null,
    text: String(d.text ?? d.descripcion ?? ""),
    type: String(d.type ?? "text"),
    read: d.read === true,
    timestamp: isoOf(d.timestamp),
    censored: d.censored === true,
    censor_reasons: Array.isArray(d.censorReasons) ? d.censorReasons.map(String) : [],
    oferta_id: typeof d.oferta_id === "string" ? d.oferta_id : null,
    precio_final: typeof d.precio_final === "number" ? d.precio_final : null,
  };
}

function isoOf(value: unknown): string | null {
  const t = value as Timestamp | undefined;
  return t && typeof t.toDate === "function" ? t.toDate().toISOString() : null;
}
