import { findLoginCandidate, lockAccount, type LockedAccount, storePasswordHash } from "./credentials.ts";
import type { AuthDeps } from "./deps.ts";
import { accountDisabled, badCredentials, MESSAGES } from "./messages.ts";
import { endSessions, openSession, refreshTokenOwner, rotateRefreshToken } from "./refresh-sessions.ts";
import { AppError } from "../../shared/errors.ts";
import { describeError } from "../../shared/log.ts";
import { emitEvent } from "../../shared/events.ts";
import type { LoginAttempt } from "./login-throttle.ts";
import { endInRegistry } from "./logout.ts";
import { owePendingMark } from "./registry-marks.ts";
import type { Tx } from "../../shared/db.ts";

/** What login and refresh answer (OAuth2's token response, as the original's `Token` + refresh). */
export type TokenPair = {
  access_token: string;
  token_type: "bearer";
  refresh_token: string;
  expires_in: number;
};
export type ClientMeta = { ip: string; userAgent?: string };

/**
 * Password login. Unknown e-mail and wrong password are one answer, after the same work (a
 * dummy hash is verified), so neither the text nor the timing tells whether an account exists.
 * Only failures count (login-throttle.ts): a stranger's guesses never lock the owner out.
 */
export async function logIn(
  deps: AuthDeps,
  input: { email: string; password: string },
  meta: ClientMeta,
): Promise<{ tokens: TokenPair; userId: string }> {
  const { db, config } = deps.platform;
  const attempt = await deps.loginThrottle.begin(input.email, meta.ip);
  const account = await findLoginCandidate(db.sql, input.email);
  const check = await deps.passwords.verify(account?.password_hash ?? null, input.password);
  if (!account || !check.ok) {
    await recordFailure(deps, attempt, account);
    throw badCredentials();
  }
  await attempt.succeeded();
  // After the password (not before, as the original did) so that a ban is not an oracle for anyone.
  if (!account.is_active) throw accountDisabled();
  const rehash = check.needsRehash ? await deps.passwords.hash(input.password) : null;
  const tokens = await db.asService(async (tx) => {
    // The password was checked outside this transaction: a ban or password change may have
    // committed since (lockAccount).
    const current = await lockAccount(tx, account.id, { credential: rehash ? "update" : "share" });
    if (!current || current.password_changed_at?.getTime() !== account.password_changed_at?.getTime()) {
      throw badCredentials();
    }
    if (!current.is_active) throw accountDisabled();
    if (rehash) await storePasswordHash(tx, account.id, rehash, { rehash: true });
    const session = await openSession(tx, {
      userId: account.id,
      userAgent: meta.userAgent,
      ip: meta.ip,
      ttlDays: config.AUTH_REFRESH_TTL_DAYS,
    });
    return await tokenPair(deps, current, session);
  });
  return { tokens, userId: account.id };
}

/**
 * A failed password check; when it fills the account's ceiling, the owner is told once per
 * window (`auth.login_throttled` → notifications e-mails them).
 */
export async function recordFailure(
  deps: AuthDeps,
  attempt: LoginAttempt,
  account: { id: string; email: string; nombre: string } | null,
): Promise<void> {
  const { ceilingReached, retryAfterSeconds } = attempt.failed();
  if (!ceilingReached || !account) return;
  const { db, redis, log } = deps.platform;
  // One e-mail per blocked window, even when two failures race to fill it.
  const first = await redis.set(`auth:login_throttled:${account.id}`, 1, { nx: true, ex: retryAfterSeconds });
  if (first !== "OK") return;
  log.warn("login ceiling reached: account blocked", { user_id: account.id, seconds: retryAfterSeconds });
  await db.asService((tx) =>
    emitEvent(tx, {
      type: "auth.login_throttled",
      aggregateId: account.id,
      producer: "auth",
      payload: {
        user_id: account.id,
        email: account.email,
        nombre: account.nombre,
        bloqueado_hasta: new Date(Date.now() + retryAfterSeconds * 1000).toISOString(),
        intentos_fallidos: deps.platform.config.RATE_LIMIT_LOGIN_ACCOUNT_CEILING.limit,
      },
    })
  );
}

/**
 * Exchanges a refresh token for a new pair; re-use of a rotated one ends its whole session. The
 * pair is minted inside the transaction, from the account locked there (lockAccount). A session
 * this ends (reuse, a banned account) is ended in the database whatever Redis does: unlike a
 * logout, nobody retries it, so a 503 that rolled it back would leave a thief's family alive. Its
 * registry mark is written before the commit; when Redis fails, the database check refuses the
 * session's access tokens while Redis is down (shared/sessions.ts), and the session is flagged so
 * that the scheduled marks run writes it once Redis answers again (registry-marks.ts).
 */
export async function refreshSession(deps: AuthDeps, presented: string): Promise<TokenPair> {
  const { db, config, log } = deps.platform;
  const endOrOweMark = async (tx: Tx, sessionId: string) => {
    try {
      await endInRegistry(deps, [sessionId]);
    } catch (error) {
      log.warn("session ended in the database; the registry did not answer, its mark is owed", {
        session_id: sessionId,
        ...describeError(error),
      });
      await owePendingMark(tx, sessionId);
    }
  };
  const outcome = await db.asService(async (tx): Promise<TokenPair | "invalid" | "disabled"> => {
    const owner = await refreshTokenOwner(tx, presented);
    if (!owner) return "invalid";
    const account = await lockAccount(tx, owner);
    const rotation = await rotateRefreshToken(tx, presented, config.AUTH_REFRESH_TTL_DAYS);
    if (rotation.status === "invalid") return "invalid";
    if (rotation.status === "reused") {
      log.warn("refresh token reuse: session ended", {
        user_id: rotation.userId,
        session_id: rotation.sessionId,
      });
      await endOrOweMark(tx, rotation.sessionId);
      return "invalid";
    }
    if (!account?.is_active) {
      await endSessions(tx, rotation.userId, "account_disabled", { only: rotation.sessionId });
      await endOrOweMark(tx, rotation.sessionId);
      return "disabled";
    }
    return await tokenPair(deps, account, rotation);
  });
  if (outcome === "invalid") throw new AppError("unauthorized", MESSAGES.invalidToken);
  if (outcome === "disabled") throw accountDisabled();
  return outcome;
}

async function tokenPair(
  deps: AuthDeps,
  user: LockedAccount,
  session: { sessionId: string; refreshToken: string },
): Promise<TokenPair> {
  return {
    access_token: await deps.tokens.mint(user, session.sessionId),
    token_type: "bearer",
    refresh_token: session.refreshToken,
    expires_in: deps.tokens.ttlSeconds,
  };
}
