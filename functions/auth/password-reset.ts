import type { Tx } from "../../shared/db.ts";
import { emitEvent } from "../../shared/events.ts";
import { findAccountById, findLoginCandidate, storePasswordHash } from "./credentials.ts";
import type { AuthDeps } from "./deps.ts";
import { endInRegistry } from "./logout.ts";
import { invalidOneTimeToken, linkWithToken, MESSAGES } from "./messages.ts";
import { consumeOneTimeToken, issueOneTimeToken, peekOneTimeToken } from "./one-time-tokens.ts";
import { endSessions } from "./refresh-sessions.ts";

/**
 * Forgot / reset password. The request always answers the same text (no account enumeration);
 * the link's token is single-use, valid one hour by default, stored hashed, and using it ends
 * every session of the account.
 */
export async function requestPasswordReset(deps: AuthDeps, email: string, ip: string) {
  const { db, config } = deps.platform;
  await deps.limits.recoveryIp.consume(ip);
  await deps.limits.recoveryAccount.consume(`forgot:${email}`);
  const account = await findLoginCandidate(db.sql, email);
  if (account?.is_active) {
    await db.asService(async (tx) => {
      const { token, expiresAt } = await issueOneTimeToken(
        tx,
        account.id,
        "password_reset",
        config.PASSWORD_RESET_TTL_MINUTES * 60,
      );
      await emitEvent(tx, {
        type: "password.reset_requested",
        aggregateId: account.id,
        producer: "auth",
        payload: {
          user_id: account.id,
          email: account.email,
          nombre: account.nombre,
          reset_url: linkWithToken(config.PASSWORD_RESET_URL_BASE, token),
          expires_at: expiresAt.toISOString(),
        },
        secretKeys: ["reset_url"],
      });
    });
  }
  return { message: MESSAGES.forgotPassword, success: true };
}

export async function resetPassword(
  deps: AuthDeps,
  input: { token: string; new_password: string },
  ip: string,
) {
  const { db, sessions } = deps.platform;
  await deps.limits.recoveryIp.consume(ip);
  // Look first (cheap 400 for a bad token), hash outside the transaction, then consume atomically.
  const userId = await peekOneTimeToken(db.sql, input.token, "password_reset");
  if (!userId) throw invalidOneTimeToken();
  await deps.limits.recoveryAccount.consume(`reset:${userId}`);
  const passwordHash = await deps.passwords.hash(input.new_password);
  const ended = await db.asService(async (tx) => {
    if (await consumeOneTimeToken(tx, input.token, "password_reset") !== userId) return null;
    await storePasswordHash(tx, userId, passwordHash);
    const ids = await endSessions(tx, userId, "password_reset");
    await announcePasswordChange(tx, userId, "reset");
    // Before the commit: without Redis the reset answers 503 and its link still works afterwards.
    await sessions.endAll(userId);
    await endInRegistry(deps, ids);
    return ids;
  });
  if (!ended) throw invalidOneTimeToken();
  // Guesses against the old password no longer matter: the owner can sign in at once.
  const account = await findAccountById(db.sql, userId);
  if (account) await deps.loginThrottle.clearAccount(account.email);
  return { message: MESSAGES.passwordReset, success: true };
}

/** `password.changed` (notifications tells the owner), in the transaction that changed it. */
export async function announcePasswordChange(tx: Tx, userId: string, via: "reset" | "change"): Promise<void> {
  const account = await findAccountById(tx, userId);
  await emitEvent(tx, {
    type: "password.changed",
    aggregateId: userId,
    producer: "auth",
    payload: { user_id: userId, email: account?.email ?? null, nombre: account?.nombre ?? null, via },
  });
}
