import type { Tx } from "../../shared/db.ts";
import { hashOpaqueToken, looksLikeOpaqueToken, newOpaqueToken } from "./opaque-tokens.ts";

/**
 * Sessions as refresh-token families. Each refresh rotates the token; a token presented after it
 * was rotated means two parties hold the family (theft), so the whole family ends.
 */
export type SessionEnd =
  | "logout"
  | "logout_all"
  | "reuse_detected"
  | "password_changed"
  | "password_reset"
  | "account_disabled";

export type Rotation =
  | { status: "rotated"; userId: string; sessionId: string; refreshToken: string }
  | { status: "reused"; userId: string; sessionId: string }
  | { status: "invalid" };

export async function openSession(
  tx: Tx,
  input: { userId: string; userAgent?: string; ip?: string; ttlDays: number },
): Promise<{ sessionId: string; refreshToken: string }> {
  await pruneDeadSessions(tx, input.userId);
  const [session] = await tx<{ id: string }[]>`
    insert into public.auth_sessions (user_id, user_agent, ip)
    values (${input.userId}, ${input.userAgent?.slice(0, 500) ?? null}, ${input.ip?.slice(0, 64) ?? null})
    returning id`;
  const refreshToken = await issueRefreshToken(tx, input.userId, session.id, input.ttlDays);
  return { sessionId: session.id, refreshToken };
}

/**
 * Removes the account's refresh tokens that expired over a day ago, and sessions left without
 * any token. Rotated tokens that have not expired stay: they are how re-use is detected.
 */
async function pruneDeadSessions(tx: Tx, userId: string) {
  await tx`delete from public.auth_refresh_tokens
    where user_id = ${userId} and expires_at < now() - interval '1 day'`;
  await tx`delete from public.auth_sessions s where s.user_id = ${userId}
    and not exists (select 1 from public.auth_refresh_tokens t where t.session_id = s.id)`;
}

async function issueRefreshToken(
  tx: Tx,
  userId: string,
  sessionId: string,
  ttlDays: number,
): Promise<string> {
  const { token, hash } = newOpaqueToken();
  await tx`insert into public.auth_refresh_tokens (session_id, user_id, token_hash, expires_at)
    values (${sessionId}, ${userId}, ${hash}, now() + make_interval(days => ${ttlDays}))`;
  return token;
}

/** Whose refresh token this is, whatever its state (read without a lock). */
export async function refreshTokenOwner(tx: Tx, presented: string): Promise<string | null> {
  if (!looksLikeOpaqueToken(presented)) return null;
  const [row] = await tx<{ user_id: string }[]>`
    select user_id from public.auth_refresh_tokens where token_hash = ${hashOpaqueToken(presented)}`;
  return row?.user_id ?? null;
}

export async function rotateRefreshToken(tx: Tx, presented: string, ttlDays: number): Promise<Rotation> {
  if (!looksLikeOpaqueToken(presented)) return { status: "invalid" };
  // Row lock: two concurrent refreshes with one token cannot both rotate it.
  const [row] = await tx<
    {
      id: string;
      user_id: string;
      session_id: string;
      rotated_at: Date | null;
      expired: boolean;
      revoked: boolean;
    }[]
  >`
    select t.id, t.user_id, t.session_id, t.rotated_at, t.expires_at <= now() as expired,
      s.revoked_at is not null as revoked
    from public.auth_refresh_tokens t join public.auth_sessions s on s.id = t.session_id
    where t.token_hash = ${hashOpaqueToken(presented)}
    for update of t, s`;
  if (!row) return { status: "invalid" };
  if (row.rotated_at) {
    if (!row.revoked) await endSessions(tx, row.user_id, "reuse_detected", { only: row.session_id });
    return { status: "reused", userId: row.user_id, sessionId: row.session_id };
  }
  if (row.expired || row.revoked) return { status: "invalid" };
  await tx`update public.auth_refresh_tokens set rotated_at = now() where id = ${row.id}`;
  await tx`update public.auth_sessions set last_used_at = now() where id = ${row.session_id}`;
  const refreshToken = await issueRefreshToken(tx, row.user_id, row.session_id, ttlDays);
  return { status: "rotated", userId: row.user_id, sessionId: row.session_id, refreshToken };
}

/** Ends the user's live sessions (one, all, or all but one); answers the ids it ended. */
export async function endSessions(
  tx: Tx,
  userId: string,
  reason: SessionEnd,
  scope: { only?: string; except?: string | null } = {},
): Promise<string[]> {
  const rows = await tx<{ id: string }[]>`
    update public.auth_sessions set revoked_at = now(), revoked_reason = ${reason}::public.auth_session_end
    where user_id = ${userId} and revoked_at is null
      ${scope.only ? tx`and id = ${scope.only}` : tx``}
      ${scope.except ? tx`and id <> ${scope.except}` : tx``}
    returning id`;
  return rows.map((r) => r.id);
}

/** The session a refresh token belongs to, if it is the user's (logout by refresh token). */
export async function sessionOfRefreshToken(
  tx: Tx,
  userId: string,
  presented: string,
): Promise<string | null> {
  if (!looksLikeOpaqueToken(presented)) return null;
  const [row] = await tx<{ session_id: string }[]>`
    select session_id from public.auth_refresh_tokens
    where token_hash = ${hashOpaqueToken(presented)} and user_id = ${userId}`;
  return row?.session_id ?? null;
}
