import type { Rol } from "../../shared/auth.ts";
import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { emitEvent } from "../../shared/events.ts";
import { columns, type UsuarioRow } from "../../shared/user-read.ts";
import { lockUser } from "./user-status.ts";

export type RoleChangeOptions = {
  userId: string;
  rol: Rol;
  /** The admin acting (recorded in the event). */
  actorId: string;
  /** Ends every session of the user, so tokens carrying the old role stop working. */
  endSessions: (userId: string) => Promise<void>;
};

/**
 * An admin changes an account's role. The last active admin is never demoted: every active
 * admin row is locked first (always before the target, so two concurrent changes queue instead
 * of deadlocking) and counted. Promoting to PROFESIONAL creates the professional profile through
 * the professionals' own interface. Runs in a service transaction (`db.asService`).
 */
export async function changeUserRole(tx: Tx, options: RoleChangeOptions): Promise<UsuarioRow> {
  const admins = await tx<{ id: string }[]>`
    select id from public.usuarios where rol = 'ADMIN' and is_active order by id for update`;
  const user = await lockUser(tx, options.userId);
  if (user.rol === options.rol) {
    throw new AppError("bad_request", `El usuario ${user.email} ya tiene el rol ${options.rol}`);
  }
  const demotesActiveAdmin = user.rol === "ADMIN" && user.is_active;
  if (demotesActiveAdmin && admins.length <= 1) {
    throw new AppError(
      "bad_request",
      "No se puede quitar el rol de administrador al último administrador activo",
    );
  }
  const [updated] = await tx<UsuarioRow[]>`
    update public.usuarios set rol = ${options.rol}, fecha_actualizacion = now()
    where id = ${user.id} and rol = ${user.rol}
    returning ${columns(tx)}`;
  if (options.rol === "PROFESIONAL") {
    await tx`select from public.create_professional_profile(${user.id}::uuid)`;
  }
  await emitEvent(tx, {
    type: "user.role_changed",
    aggregateId: user.id,
    producer: "users",
    payload: { user_id: user.id, email: user.email, from: user.rol, to: options.rol, by: options.actorId },
  });
  await options.endSessions(user.id);
  return updated;
}
