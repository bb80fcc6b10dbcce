import type { Sql, Tx } from "../../shared/db.ts";
import type { SessionRegistry } from "../../shared/sessions.ts";

/**
 * Registry marks still owed. A session auth ends without a retry behind it (a refresh-token reuse,
 * a disabled account's refresh) is ended in the database whatever Redis does; when Redis did not
 * take its mark, the database check refuses the session's access tokens only while Redis stays
 * down (shared/sessions.ts). So the session is flagged in the same transaction, and the scheduled
 * `POST /auth/events/sessions` writes the marks once Redis answers — within a schedule interval of
 * its recovery — for as long as any of the session's access tokens can still be valid.
 */

/** In the transaction that ended the session, when the registry did not take its mark. */
export async function owePendingMark(tx: Tx, sessionId: string): Promise<void> {
  await tx`update public.auth_sessions set registry_mark_pending = true where id = ${sessionId}`;
}

export type MarksReport = { written: number; expired: number };

/**
 * Writes the owed marks, oldest first, `limit` at a time, each for what is left of `markSeconds`
 * (logout.ts) after the session ended; past that nothing is left to refuse. Throws (Redis still
 * down) with the flags of the marks not written kept for the next run.
 */
export async function writePendingMarks(
  deps: { sql: Sql; sessions: SessionRegistry; markSeconds: number },
  limit = 100,
): Promise<MarksReport> {
  const rows = await deps.sql<{ id: string; left_s: number }[]>`
    select id, ${deps.markSeconds} - extract(epoch from now() - revoked_at)::float8 as left_s
    from public.auth_sessions where registry_mark_pending
    order by revoked_at limit ${limit}`;
  const report: MarksReport = { written: 0, expired: 0 };
  const settled: string[] = [];
  try {
    for (const row of rows) {
      if (row.left_s > 0) {
        await deps.sessions.endSession(row.id, { ttlSeconds: Math.ceil(row.left_s) });
        report.written++;
      } else {
        report.expired++;
      }
      settled.push(row.id);
    }
  } finally {
    if (settled.length) {
      await deps
        .sql`update public.auth_sessions set registry_mark_pending = false where id = any(${settled}::uuid[])`;
    }
  }
  return report;
}
