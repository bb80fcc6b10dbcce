import type { Rol } from "../../shared/auth.ts";
import type { Tx } from "../../shared/db.ts";
import { columns, isUuid, type UsuarioRow } from "../../shared/user-read.ts";

/**
 * Reads of `usuarios`. Callers pass a user-scoped transaction (`db.asUser`), so RLS decides what
 * is visible: a user their own row, an admin every row.
 */
export async function findUser(tx: Tx, id: string): Promise<UsuarioRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await tx<UsuarioRow[]>`select ${columns(tx)} from public.usuarios where id = ${id}`;
  return row ?? null;
}

export type UserListFilter = { page: number; limit: number; q?: string; rol?: Rol; isActive?: boolean };

/** A page of accounts, newest first (`total` counts every match). */
export async function listUsers(
  tx: Tx,
  filter: UserListFilter,
): Promise<{ rows: UsuarioRow[]; total: number }> {
  const where = tx`where true
    ${filter.q ? tx`and ${matches(tx, filter.q)}` : tx``}
    ${filter.rol ? tx`and rol = ${filter.rol}` : tx``}
    ${filter.isActive === undefined ? tx`` : tx`and is_active = ${filter.isActive}`}`;
  const [{ total }] = await tx<
    { total: number }[]
  >`select count(*)::int as total from public.usuarios ${where}`;
  const rows = await tx<UsuarioRow[]>`
    select ${columns(tx)} from public.usuarios ${where}
    order by fecha_creacion desc, id
    limit ${filter.limit} offset ${(filter.page - 1) * filter.limit}`;
  return { rows, total };
}

/** Accounts whose e-mail contains `term` (case-insensitive), newest first. */
export async function searchByEmail(tx: Tx, term: string, limit: number): Promise<UsuarioRow[]> {
  return await tx<UsuarioRow[]>`
    select ${columns(tx)} from public.usuarios
    where email ilike public.contains_pattern(${term})
    order by fecha_creacion desc, id
    limit ${limit}`;
}

/** The public card of a directory match: never e-mail or role (the directory is open to every user). */
export type DirectoryEntry = Pick<UsuarioRow, "id" | "nombre" | "apellido" | "avatar_url"> & {
  es_profesional: boolean;
};

/**
 * Other active, non-admin users whose name contains `q` or whose e-mail is exactly `q` (the
 * users' directory function), public card only.
 */
export async function searchDirectory(tx: Tx, q: string, limit: number): Promise<DirectoryEntry[]> {
  return await tx<DirectoryEntry[]>`
    select id, nombre, apellido, avatar_url, es_profesional
    from public.search_user_directory(${q}, ${limit})`;
}

function matches(tx: Tx, q: string) {
  return tx`(email ilike public.contains_pattern(${q}) or nombre ilike public.contains_pattern(${q})
    or apellido ilike public.contains_pattern(${q}))`;
}
