import { startFirestoreStandIn } from "../fakes/firestore-server.ts";
import { createAccount, type TestAccount, testSql } from "../support/accounts.ts";
import type { TestApi } from "../support/http-api.ts";
import { settledViolations, type Violation } from "../support/invariants.ts";
import { createPro, type Pro } from "../chat/helpers.ts";
import type { FaultOutcome, FaultScenario } from "./faults.ts";
import { startHostProcess } from "./host-process.ts";

/**
 * A Firestore stand-in of its own with its fault switch, and a functions host process pointed at
 * it (the run's stand-in serves every other test file, which a fault must not reach).
 *
 * @example
 * const firestore = await startFirestoreFault();
 * await firestore.fault(true);   // every Firestore call answers UNAVAILABLE
 * await firestore.gateway.json("POST", "/api/v1/chat/create", { token, body });   // 503
 * await firestore.stop();
 */
export type FirestoreFault = {
  gateway: TestApi;
  fault(unavailable: boolean): Promise<void>;
  stop(): Promise<void>;
};

export async function startFirestoreFault(): Promise<FirestoreFault> {
  const standIn = await startFirestoreStandIn();
  const host = await startHostProcess({
    ...Deno.env.toObject(),
    FIREBASE_SERVICE_ACCOUNT: JSON.stringify(standIn.serviceAccount),
    FIRESTORE_HOST: standIn.host,
    FIRESTORE_TIMEOUT_MS: "1500",
  }).catch(async (error) => {
    await standIn.stop();
    throw error;
  });
  return {
    gateway: host.gateway,
    async fault(unavailable) {
      const response = await fetch(`${standIn.url}/stand-in/fault`, {
        method: "POST",
        body: JSON.stringify({ unavailable }),
      });
      await response.body?.cancel();
    },
    async stop() {
      await host.stop();
      await standIn.stop();
    },
  };
}

/** A message sent while Firestore is down, then again once it is back. */
export type FirestoreDown = {
  sent: { status: number; code?: string; ms: number };
  /** What the refused message left in Postgres (must be nothing). */
  leftBehind: { events: number; lastMessageAt: Date | null; unread: number };
  /** From Firestore back to the first message sent. */
  recoveryMs: number | null;
  violations: Violation[];
};

export async function sendWhileFirestoreDown(): Promise<FirestoreDown> {
  const firestore = await startFirestoreFault();
  try {
    const gw = firestore.gateway;
    const client: TestAccount = await createAccount("CLIENTE");
    const pro: Pro = await createPro();
    const opened = await gw.json("POST", "/api/v1/chat/create", {
      token: client.token,
      body: { profesional_id: pro.profesionalId },
    });
    if (opened.status !== 201) throw new Error(`open chat: ${opened.status} ${JSON.stringify(opened.body)}`);
    const chatId = opened.body.chat_id as string;
    const send = () =>
      gw.json("POST", `/api/v1/chat/${chatId}/messages`, { token: client.token, body: { text: "hola" } });

    await firestore.fault(true);
    const started = performance.now();
    const refused = await send();
    const sent = {
      status: refused.status,
      code: refused.body?.code,
      ms: Math.round(performance.now() - started),
    };
    const [left] = await testSql()`select
        (select count(*)::int from public.outbox where type = 'chat.message_sent' and aggregate_id = ${chatId})
          as events,
        c.last_message_at,
        (select unread_count from public.chat_participantes where chat_id = c.id and usuario_id = ${pro.id})
          as unread
      from public.chats c where c.id = ${chatId}`;

    await firestore.fault(false);
    const back = performance.now();
    const again = await send();
    return {
      sent,
      leftBehind: { events: left.events, lastMessageAt: left.last_message_at, unread: left.unread },
      recoveryMs: again.status === 201 ? Math.round(performance.now() - back) : null,
      violations: await settledViolations(testSql(), { refs: [client.id, pro.id, chatId] }),
    };
  } finally {
    await firestore.stop();
  }
}

export function firestoreDownOutcome(result: FirestoreDown): FaultOutcome {
  const clean = result.leftBehind.events === 0 && result.leftBehind.lastMessageAt === null &&
    result.leftBehind.unread === 0;
  return {
    userSaw: `sending a message: ${result.sent.status} ${result.sent.code ?? ""} after ${result.sent.ms} ms`,
    recoveryMs: result.recoveryMs,
    invariantsHeld: clean && result.violations.length === 0,
    notes: "nothing written to Postgres without its message",
  };
}

export const FIRESTORE_DOWN: FaultScenario = {
  name: "firestore-down",
  fault: "Firestore unavailable while a chat message is sent",
  run: async () => firestoreDownOutcome(await sendWhileFirestoreDown()),
};
