import type { Tx } from "../../shared/db.ts";
import type { ChatRow } from "./chat-rooms.ts";

/**
 * Chats as the API answers them: the pair, the link, activity, my unread count and the other
 * party's public card (through `public.chat_people`, since RLS shows a user only their own
 * account row). Read in the caller's own transaction, so RLS applies.
 */
export type PersonCard = {
  id: string;
  nombre: string;
  apellido: string;
  nombre_completo: string;
  avatar_url: string | null;
  rol: string;
};
export type ChatView = {
  id: string;
  chat_id: string;
  participants: string[];
  cliente_id: string;
  profesional_id: string;
  trabajo_id: string | null;
  oferta_id: string | null;
  created_at: string;
  last_message_at: string | null;
  unread_count: number;
  other_user: PersonCard | null;
};

type Row = ChatRow & { unread_count: number | null };

export async function people(tx: Tx, ids: string[]): Promise<Map<string, PersonCard>> {
  if (!ids.length) return new Map();
  const rows = await tx<Omit<PersonCard, "nombre_completo">[]>`
    select id, nombre, apellido, avatar_url, rol::text as rol from public.chat_people(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, { ...r, nombre_completo: `${r.nombre} ${r.apellido}`.trim() }]));
}

export function toChatView(row: Row, me: string, cards: Map<string, PersonCard>): ChatView {
  const other = row.cliente_id === me ? row.profesional_id : row.cliente_id;
  return {
    id: row.id,
    chat_id: row.id,
    participants: [row.cliente_id, row.profesional_id].sort(),
    cliente_id: row.cliente_id,
    profesional_id: row.profesional_id,
    trabajo_id: row.trabajo_id,
    oferta_id: row.oferta_id,
    created_at: row.created_at.toISOString(),
    last_message_at: row.last_message_at?.toISOString() ?? null,
    unread_count: row.unread_count ?? 0,
    other_user: cards.get(other) ?? null,
  };
}

const SELECT = (tx: Tx, me: string) =>
  tx`select c.id, c.cliente_id, c.profesional_id, c.trabajo_id, c.oferta_id, c.created_at, c.last_message_at,
      p.unread_count
    from public.chats c
    left join public.chat_participantes p on p.chat_id = c.id and p.usuario_id = ${me}`;

/** One chat of mine (participants only: an admin who is not one gets undefined too). */
export async function myChat(tx: Tx, chatId: string, me: string): Promise<ChatView | undefined> {
  const [row] = await tx<Row[]>`${SELECT(tx, me)}
    where c.id = ${chatId} and (c.cliente_id = ${me} or c.profesional_id = ${me})`;
  if (!row) return undefined;
  return toChatView(row, me, await people(tx, [row.cliente_id, row.profesional_id]));
}

/** My chats, newest activity first. */
export async function myConversations(
  tx: Tx,
  me: string,
  page: { page: number; limit: number },
): Promise<{ items: ChatView[]; total: number }> {
  const mine = tx`(c.cliente_id = ${me} or c.profesional_id = ${me})`;
  const [{ total }] = await tx<{ total: number }[]>`
    select count(*)::int as total from public.chats c where ${mine}`;
  const rows = await tx<Row[]>`${SELECT(tx, me)} where ${mine}
    order by coalesce(c.last_message_at, c.created_at) desc, c.id
    limit ${page.limit} offset ${(page.page - 1) * page.limit}`;
  const cards = await people(tx, [...new Set(rows.flatMap((r) => [r.cliente_id, r.profesional_id]))]);
  return { items: rows.map((r) => toChatView(r, me, cards)), total };
}
