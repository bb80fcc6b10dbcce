import { AppError } from "../../shared/errors.ts";
import type { Tx } from "../../shared/db.ts";
import { emitEvent } from "../../shared/events.ts";
import { isUuid, type UsuarioRow } from "../../shared/user-read.ts";
import { columns } from "../../shared/user-read.ts";

/**
 * An account's status (`is_active`) changes only here: an admin bans or unbans, the current
 * state is checked and the update is conditional on it (`… where is_active = $expected`), and
 * the event is written in the same transaction. A ban also ends the user's sessions before the
 * commit, so a ban that commits always has its tokens refused.
 */
export type StatusChange = "ban" | "unban";

const TRANSITIONS = {
  ban: { from: true, to: false, event: "user.banned" },
  unban: { from: false, to: true, event: "user.unbanned" },
} as const satisfies Record<StatusChange, { from: boolean; to: boolean; event: string }>;

export type StatusChangeOptions = {
  userId: string;
  /** The admin acting (recorded in the event). */
  actorId: string;
  /** Ends every session of the user (`platform.sessions.endAll`). */
  endSessions: (userId: string) => Promise<void>;
};

/** Runs in a service transaction (`db.asService`): `is_active` is not writable by users. */
export async function changeUserStatus(
  tx: Tx,
  change: StatusChange,
  options: StatusChangeOptions,
): Promise<UsuarioRow> {
  const rule = TRANSITIONS[change];
  const user = await lockUser(tx, options.userId);
  if (change === "ban" && user.rol === "ADMIN") {
    throw new AppError("bad_request", "No se puede banear a un administrador");
  }
  if (user.is_active !== rule.from) throw new AppError("bad_request", alreadyMessage(change, user.email));
  const [updated] = await tx<UsuarioRow[]>`
    update public.usuarios set is_active = ${rule.to}, fecha_actualizacion = now()
    where id = ${user.id} and is_active = ${rule.from}
    returning ${columns(tx)}`;
  if (!updated) throw new AppError("bad_request", alreadyMessage(change, user.email));
  await emitEvent(tx, {
    type: rule.event,
    aggregateId: user.id,
    producer: "users",
    payload: { user_id: user.id, email: user.email, rol: user.rol, by: options.actorId },
  });
  if (change === "ban") {
    // Its refresh tokens too, or one kept from before the ban signs in again after an unban.
    await tx`select public.auth_end_all_sessions(${user.id}, 'account_disabled')`;
    await options.endSessions(user.id);
  }
  return updated;
}

/** The row, locked for this transaction; 404 when there is no such user. */
export async function lockUser(tx: Tx, userId: string): Promise<UsuarioRow> {
  const [user] = isUuid(userId)
    ? await tx<UsuarioRow[]>`select ${columns(tx)} from public.usuarios where id = ${userId} for update`
    : [];
  if (!user) throw new AppError("not_found", "Usuario no encontrado");
  return user;
}

function alreadyMessage(change: StatusChange, email: string): string {
  return change === "ban"
    ? `El usuario ${email} ya está baneado`
    : `El usuario ${email} ya está activo (no está baneado)`;
}

/** The original's UserBanResponse / UserUnbanResponse, plus `message` (HEAD's field name). */
export function statusResponse(change: StatusChange, user: UsuarioRow) {
  const mensaje = change === "ban"
    ? `Usuario ${user.email} ha sido baneado exitosamente. No podrá iniciar sesión.`
    : `Usuario ${user.email} ha sido desbaneado exitosamente. Puede iniciar sesión nuevamente.`;
  return { user_id: user.id, email: user.email, is_active: user.is_active, mensaje, message: mensaje };
}
