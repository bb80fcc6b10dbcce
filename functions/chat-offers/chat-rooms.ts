import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { emitEvent } from "../../shared/events.ts";
import type { Person } from "./chat-store.ts";

/**
 * Chats in Postgres: the pair of participants (user ids), optional job/offer link, activity, and
 * each participant's read state. Who may chat is decided here; the messages are in Firestore.
 */
export type ChatRow = {
  id: string;
  cliente_id: string;
  profesional_id: string;
  trabajo_id: string | null;
  oferta_id: string | null;
  created_at: Date;
  last_message_at: Date | null;
};
export type Chatter = {
  id: string;
  nombre: string;
  apellido: string;
  avatar_url: string | null;
  rol: string;
  is_active: boolean;
  is_chat_banned: boolean;
};

const CHAT_COLUMNS = "id, cliente_id, profesional_id, trabajo_id, oferta_id, created_at, last_message_at";
export const CHAT_BANNED_DETAIL =
  "Tu cuenta tiene el chat bloqueado por infracciones reiteradas (datos de contacto en mensajes). " +
  "No podés enviar mensajes, abrir chats ni comentar en tus trabajos; contactá a soporte para revisarlo.";

export function personOf(u: Chatter): Person {
  return { id: u.id, name: `${u.nombre} ${u.apellido}`.trim(), photo: u.avatar_url, role: u.rol };
}

/** The account as chat sees it (service transaction: reads users' table by id). */
export async function loadChatter(tx: Tx, userId: string): Promise<Chatter | undefined> {
  const [row] = await tx<Chatter[]>`
    select id, nombre, apellido, avatar_url, rol::text as rol, is_active, is_chat_banned
    from public.usuarios where id = ${userId}`;
  return row;
}

/** The caller may write in chats: active and not chat-banned (403 with the reason otherwise). */
export async function requireChatter(tx: Tx, userId: string): Promise<Chatter> {
  const me = await loadChatter(tx, userId);
  if (!me || !me.is_active) {
    throw new AppError("forbidden", "Tu cuenta está suspendida: no podés usar el chat.");
  }
  if (me.is_chat_banned) throw new AppError("forbidden", CHAT_BANNED_DETAIL);
  return me;
}

/**
 * The professional a chat is opened with, by profile id (`profesionales.id`, what the public
 * profile page passes) or account id (`usuarios.id`). Only active, approved professionals.
 */
export async function findChatProfessional(tx: Tx, id: string): Promise<Chatter & { profile_id: string }> {
  const [row] = await tx<(Chatter & { profile_id: string; estado: string })[]>`
    select u.id, u.nombre, u.apellido, u.avatar_url, u.rol::text as rol, u.is_active, u.is_chat_banned,
      p.id as profile_id, p.estado_verificacion::text as estado
    from public.profesionales p join public.usuarios u on u.id = p.usuario_id
    where p.id = ${id} or p.usuario_id = ${id}
    limit 1`;
  if (!row || !row.is_active || row.rol !== "PROFESIONAL") {
    throw new AppError("not_found", "Profesional no encontrado");
  }
  if (row.estado !== "APROBADO") {
    throw new AppError(
      "bad_request",
      `No se puede abrir un chat con este profesional: su verificación está ${row.estado}`,
    );
  }
  return row;
}

/** Inserts the pair's chat, or finds the one that exists (never a duplicate, even when racing). */
export async function insertOrFindChat(
  tx: Tx,
  clienteId: string,
  profesionalId: string,
): Promise<{ chat: ChatRow; created: boolean }> {
  const [inserted] = await tx<ChatRow[]>`
    insert into public.chats (cliente_id, profesional_id) values (${clienteId}, ${profesionalId})
    on conflict (cliente_id, profesional_id) where trabajo_id is null do nothing
    returning ${tx.unsafe(CHAT_COLUMNS)}`;
  if (inserted) {
    await tx`insert into public.chat_participantes (chat_id, usuario_id)
      values (${inserted.id}, ${clienteId}), (${inserted.id}, ${profesionalId})`;
    await emitEvent(tx, {
      type: "chat.created",
      aggregateId: inserted.id,
      producer: "chat-offers",
      payload: { chat_id: inserted.id, cliente_id: clienteId, profesional_id: profesionalId },
    });
    return { chat: inserted, created: true };
  }
  const [existing] = await tx<ChatRow[]>`
    select ${tx.unsafe(CHAT_COLUMNS)} from public.chats
    where cliente_id = ${clienteId} and profesional_id = ${profesionalId} and trabajo_id is null`;
  return { chat: existing, created: false };
}

/** The chat when `userId` takes part in it; 404 otherwise (others must not learn it exists). */
export async function participantChat(tx: Tx, chatId: string, userId: string): Promise<ChatRow> {
  const [chat] = await tx<ChatRow[]>`
    select ${tx.unsafe(CHAT_COLUMNS)} from public.chats
    where id = ${chatId} and (cliente_id = ${userId} or profesional_id = ${userId})`;
  if (!chat) throw chatNotFound();
  return chat;
}

/** Any chat the caller's RLS lets them see (participants; admins see all). */
export async function visibleChat(tx: Tx, chatId: string): Promise<ChatRow> {
  const [chat] = await tx<ChatRow[]>`select ${
    tx.unsafe(CHAT_COLUMNS)
  } from public.chats where id = ${chatId}`;
  if (!chat) throw chatNotFound();
  return chat;
}

export function chatNotFound(): AppError {
  return new AppError("not_found", "Chat no encontrado");
}

export function otherParty(chat: ChatRow, userId: string): string {
  return chat.cliente_id === userId ? chat.profesional_id : chat.cliente_id;
}

/** Zeroes my unread count and records that I am reading now (mutes the debounced notification). */
export async function markChatRead(tx: Tx, chatId: string, userId: string): Promise<void> {
  await tx`update public.chat_participantes set unread_count = 0, last_read_at = now()
    where chat_id = ${chatId} and usuario_id = ${userId}`;
}
