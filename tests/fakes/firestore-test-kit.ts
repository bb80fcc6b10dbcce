// Shared set-up for the Firestore stand-in tests: a fresh stand-in and a shared/firestore.ts
// handle pointed at it, both stopped when the test ends.

import { createFirestore, type FirestoreHandle } from "../../shared/firestore.ts";
import { type FirestoreStandIn, startFirestoreStandIn } from "./firestore-server.ts";

export type Kit = { standIn: FirestoreStandIn; firestore: FirestoreHandle };

export async function withFirestore(
  fn: (kit: Kit) => Promise<void>,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const standIn = await startFirestoreStandIn();
  const firestore = createFirestore({
    serviceAccount: standIn.serviceAccount,
    emulatorHost: standIn.host,
    timeoutMs: options.timeoutMs ?? 5_000,
  });
  try {
    await fn({ standIn, firestore });
  } finally {
    await firestore.close();
    await standIn.stop();
  }
}

/** Reads the stand-in's own view of a document through its test hook. */
export async function storedDocument(standIn: FirestoreStandIn, path: string) {
  const response = await fetch(`${standIn.url}/stand-in/documents/${path}`);
  return response.ok ? await response.json() : (await response.body?.cancel(), null);
}

export async function standInPost(standIn: FirestoreStandIn, hook: string, body: unknown = {}) {
  const response = await fetch(`${standIn.url}/stand-in/${hook}`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  return await response.json();
}
