import type { Sql, Tx } from "../../shared/db.ts";
import { hashOpaqueToken, looksLikeOpaqueToken, newOpaqueToken } from "./opaque-tokens.ts";

/**
 * Single-use tokens sent by e-mail (password reset, e-mail verification), stored hashed. Issuing
 * one retires the account's earlier unused ones of the same purpose; consuming is one atomic
 * update, so a token works exactly once even under concurrent requests.
 */
export type TokenPurpose = "password_reset" | "email_verification";

export async function issueOneTimeToken(
  tx: Tx,
  userId: string,
  purpose: TokenPurpose,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  await tx`update public.auth_one_time_tokens set used_at = now()
    where user_id = ${userId} and purpose = ${purpose}::public.auth_token_purpose and used_at is null`;
  // The account's dead tokens go now, so the table never outgrows the live ones (no cron needed).
  await tx`delete from public.auth_one_time_tokens
    where user_id = ${userId} and coalesce(used_at, expires_at) < now() - interval '1 day'`;
  const { token, hash } = newOpaqueToken();
  const [row] = await tx<{ expires_at: Date }[]>`
    insert into public.auth_one_time_tokens (user_id, purpose, token_hash, expires_at)
    values (${userId}, ${purpose}::public.auth_token_purpose, ${hash}, now() + make_interval(secs => ${ttlSeconds}))
    returning expires_at`;
  return { token, expiresAt: row.expires_at };
}

/** The account a still-valid token belongs to, without using it up. */
export async function peekOneTimeToken(
  sql: Sql | Tx,
  token: string,
  purpose: TokenPurpose,
): Promise<string | null> {
  if (!looksLikeOpaqueToken(token)) return null;
  const [row] = await sql<{ user_id: string }[]>`
    select user_id from public.auth_one_time_tokens
    where token_hash = ${hashOpaqueToken(token)} and purpose = ${purpose}::public.auth_token_purpose
      and used_at is null and expires_at > now()`;
  return row?.user_id ?? null;
}

export async function consumeOneTimeToken(
  tx: Tx,
  token: string,
  purpose: TokenPurpose,
): Promise<string | null> {
  if (!looksLikeOpaqueToken(token)) return null;
  const [row] = await tx<{ user_id: string }[]>`
    update public.auth_one_time_tokens set used_at = now()
    where token_hash = ${hashOpaqueToken(token)} and purpose = ${purpose}::public.auth_token_purpose
      and used_at is null and expires_at > now()
    returning user_id`;
  return row?.user_id ?? null;
}

export type OneTimeTokenState = "valid" | "used" | "expired" | "unknown";

/**
 * What became of a token, for the pages its e-mail links to: they say "expired" or "already
 * used" (or replaced by a newer link, which marks the old one used) instead of one vague error.
 */
export async function oneTimeTokenState(
  sql: Sql | Tx,
  token: string,
  purpose: TokenPurpose,
): Promise<OneTimeTokenState> {
  if (!looksLikeOpaqueToken(token)) return "unknown";
  const [row] = await sql<{ used: boolean; expired: boolean }[]>`
    select used_at is not null as used, expires_at <= now() as expired
    from public.auth_one_time_tokens
    where token_hash = ${hashOpaqueToken(token)} and purpose = ${purpose}::public.auth_token_purpose`;
  if (!row) return "unknown";
  return row.used ? "used" : row.expired ? "expired" : "valid";
}
