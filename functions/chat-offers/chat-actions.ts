import type { AuthUser } from "../../shared/auth-user.ts";
import type { Db } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import type { FirestoreHandle } from "../../shared/firestore.ts";
import { type ChatRules, type ComposedMessage, composeMessage } from "./chat-messages.ts";
import {
  type ChatRow,
  type Chatter,
  findChatProfessional,
  insertOrFindChat,
  loadChatter,
  markChatRead,
  otherParty,
  participantChat,
  personOf,
  requireChatter,
  visibleChat,
} from "./chat-rooms.ts";
import {
  markRead,
  readMessages,
  type Room,
  type StoredMessage,
  writeMessage,
  writeRoom,
} from "./chat-store.ts";

/**
 * The chat use cases. Writes run in one service transaction (explicit participant filters), and
 * the Firestore write is its last step, before the commit: a Firestore failure (503) rolls the
 * Postgres part back, so no chat row, strike or counter exists without its documents.
 */
export type ChatDeps = { db: Db; firestore: FirestoreHandle; rules: ChatRules };
export type Sent = ComposedMessage & { chat: ChatRow; sender: Chatter; timestamp: string | null };

export function openChat(
  deps: ChatDeps,
  user: AuthUser,
  input: { profesionalId: string; mensajeInicial?: string },
) {
  return deps.db.asService(async (tx) => {
    const me = await requireChatter(tx, user.id);
    const pro = await findChatProfessional(tx, input.profesionalId);
    if (pro.id === me.id) throw new AppError("bad_request", "No podés abrir un chat con vos mismo");
    const { chat, created } = await insertOrFindChat(tx, me.id, pro.id);
    const composed = input.mensajeInicial
      ? await composeMessage(tx, {
        chat,
        sender: me,
        recipient: pro,
        text: input.mensajeInicial,
        rules: deps.rules,
      })
      : null;
    let timestamp: string | null = null;
    if (created) {
      const room: Room = {
        chatId: chat.id,
        people: [personOf(me), personOf(pro)],
        trabajoId: null,
        ofertaId: null,
      };
      timestamp = await writeRoom(deps.firestore, room, composed?.message ?? null);
    } else if (composed) {
      timestamp = await writeMessage(deps.firestore, composed.message);
    }
    return { chat, created, pro, composed, timestamp };
  });
}

export function sendMessage(deps: ChatDeps, user: AuthUser, chatId: string, text: string): Promise<Sent> {
  return deps.db.asService(async (tx) => {
    const chat = await participantChat(tx, chatId, user.id);
    const sender = await requireChatter(tx, user.id);
    const recipient = await loadChatter(tx, otherParty(chat, user.id));
    if (!recipient) throw new AppError("not_found", "Chat no encontrado");
    const composed = await composeMessage(tx, { chat, sender, recipient, text, rules: deps.rules });
    const timestamp = await writeMessage(deps.firestore, composed.message);
    return { ...composed, chat, sender, timestamp };
  });
}

export function readChat(deps: ChatDeps, user: AuthUser, chatId: string) {
  return deps.db.asService(async (tx) => {
    await participantChat(tx, chatId, user.id);
    await markChatRead(tx, chatId, user.id);
    return await markRead(deps.firestore, chatId, user.id);
  });
}

/** Participants and admins (RLS decides); the page comes from Firestore. */
export async function chatMessages(
  deps: ChatDeps,
  user: AuthUser,
  chatId: string,
  page: { limit: number; before?: Date },
): Promise<{ items: StoredMessage[]; hasMore: boolean }> {
  await deps.db.asUser(user, (tx) => visibleChat(tx, chatId));
  return await readMessages(deps.firestore, chatId, page);
}
