import type { AuthUser } from "../../../shared/auth-user.ts";
import type { Db } from "../../../shared/db.ts";
import { AppError } from "../../../shared/errors.ts";

/**
 * The monolith's `/cliente/…/{id}` reads answer 404 when the row does not exist and 403 when it
 * is someone else's (the other reads hide both behind 404). Read on the service connection
 * because RLS would hide the row and turn the 403 into a 404.
 */
export async function requireClientOf(
  db: Db,
  user: AuthUser,
  row: { table: "ofertas" | "trabajos"; id: string },
  details: { notFound: string; forbidden: string },
): Promise<void> {
  const rows = await db.asService((tx) =>
    tx<{ cliente_id: string }[]>`select cliente_id from ${tx("public." + row.table)} where id = ${row.id}`
  );
  if (!rows.length) throw new AppError("not_found", details.notFound);
  if (rows[0].cliente_id !== user.id) throw new AppError("forbidden", details.forbidden);
}
