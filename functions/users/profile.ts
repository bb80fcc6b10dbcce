import type { Tx } from "../../shared/db.ts";
import { findUser } from "./user-queries.ts";
import { columns, type UsuarioRow } from "../../shared/user-read.ts";

export type ProfileChanges = { nombre?: string | null; apellido?: string | null };

/**
 * The self-service part of an account: names only (`null`/absent = unchanged). Runs in the
 * user's own transaction — the column grants keep role and status out of reach.
 */
export async function updateOwnProfile(
  tx: Tx,
  userId: string,
  changes: ProfileChanges,
): Promise<UsuarioRow | null> {
  const nombre = changes.nombre ?? null;
  const apellido = changes.apellido ?? null;
  if (nombre === null && apellido === null) return await findUser(tx, userId);
  const [row] = await tx<UsuarioRow[]>`
    update public.usuarios
    set nombre = coalesce(${nombre}::varchar, nombre),
        apellido = coalesce(${apellido}::varchar, apellido),
        fecha_actualizacion = now()
    where id = ${userId}
    returning ${columns(tx)}`;
  return row ?? null;
}
