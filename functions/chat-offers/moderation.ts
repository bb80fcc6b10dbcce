import postgres from "postgres";
import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { trackEmittedEvents } from "../../shared/events.ts";

/**
 * Moderation strikes. Both sources — contact details masked in a message sent through the API,
 * and the original's Cloud Function webhook — record the infraction here (a hash of the text,
 * never the text) and count it through users' `record_chat_infraction`, which bans from chat at
 * the configured maximum and writes `chat.banned` in the same transaction.
 */
export type InfractionSource = "masking" | "webhook";
export type Strike = { infracciones_chat: number; is_chat_banned: boolean; newly_banned: boolean };

export type InfractionInput = {
  userId: string;
  source: InfractionSource;
  reasons: string[];
  maxInfractions: number;
  chatId?: string | null;
  messageId?: string | null;
  /** The original text; only its SHA-256 is stored. */
  text?: string | null;
};

/** Runs in a service transaction (`db.asService`); unknown user → 404. */
export async function recordInfraction(tx: Tx, input: InfractionInput): Promise<Strike> {
  const [row] = await countStrike(tx, input);
  if (row.event_id) trackEmittedEvents(tx, [row.event_id]);
  await tx`
    insert into public.chat_infracciones (usuario_id, chat_id, message_id, reasons, source, text_hash)
    values (${input.userId}, ${input.chatId ?? null}, ${input.messageId ?? null}, ${input.reasons},
      ${input.source}, ${input.text == null ? null : await sha256Hex(input.text)})`;
  return { infracciones_chat: row.infracciones, is_chat_banned: row.banned, newly_banned: row.newly_banned };
}

type StrikeRow = { infracciones: number; banned: boolean; newly_banned: boolean; event_id: string | null };

async function countStrike(tx: Tx, input: InfractionInput): Promise<StrikeRow[]> {
  try {
    return await tx<StrikeRow[]>`select * from public.record_chat_infraction(
      ${input.userId}::uuid, ${input.maxInfractions}::int, ${input.reasons.join(",") || null})`;
  } catch (error) {
    if (error instanceof postgres.PostgresError && error.code === "P0002") {
      throw new AppError("not_found", `Usuario ${input.userId} no encontrado`);
    }
    throw error;
  }
}

/** The Cloud Function's `reason` ("phone:true, email:false, social:true") as a list of reasons. */
export function webhookReasons(reason: string | undefined): string[] {
  if (!reason?.trim()) return ["webhook"];
  const flags = [...reason.matchAll(/(\w+)\s*:\s*(true|false)/gi)];
  if (flags.length) return flags.filter((f) => f[2].toLowerCase() === "true").map((f) => f[1].toLowerCase());
  return [reason.trim().slice(0, 100)];
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** `X-API-Key` against the configured secret, in constant time (hashes of equal length). */
export async function apiKeyMatches(
  given: string | undefined,
  expected: string | undefined,
): Promise<boolean> {
  if (!given || !expected) return false;
  const [a, b] = await Promise.all(
    [given, expected].map(async (k) =>
      new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(k)))
    ),
  );
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export type InfractionRow = {
  id: string;
  usuario_id: string;
  chat_id: string | null;
  message_id: string | null;
  reasons: string[];
  source: InfractionSource;
  created_at: Date;
  email: string | null;
  nombre: string | null;
  apellido: string | null;
  infracciones_chat: number | null;
  is_chat_banned: boolean | null;
};

/** Admin list, newest first, through the admin's own transaction (RLS: admins read all). */
export async function listInfractions(
  tx: Tx,
  options: { page: number; limit: number; usuarioId?: string },
): Promise<{ rows: InfractionRow[]; total: number }> {
  const where = options.usuarioId ? tx`where i.usuario_id = ${options.usuarioId}` : tx``;
  const [{ total }] = await tx<{ total: number }[]>`
    select count(*)::int as total from public.chat_infracciones i ${where}`;
  const rows = await tx<InfractionRow[]>`
    select i.id, i.usuario_id, i.chat_id, i.message_id, i.reasons, i.source, i.created_at,
      u.email, u.nombre, u.apellido, u.infracciones_chat, u.is_chat_banned
    from public.chat_infracciones i left join public.usuarios u on u.id = i.usuario_id
    ${where}
    order by i.created_at desc, i.id
    limit ${options.limit} offset ${(options.page - 1) * options.limit}`;
  return { rows, total };
}
