import type { AuthUser } from "../../shared/auth.ts";
import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { emitEvent } from "../../shared/events.ts";
import { findAccountById, markEmailVerified } from "./credentials.ts";
import type { AuthDeps } from "./deps.ts";
import { invalidOneTimeToken, linkWithToken, MESSAGES } from "./messages.ts";
import { consumeOneTimeToken, issueOneTimeToken } from "./one-time-tokens.ts";

/**
 * E-mail verification: a single-use link (event `email.verification_requested`, delivered by
 * notifications) that sets `email_verificado`. Sent at registration and on request.
 */
export async function sendVerification(
  tx: Tx,
  deps: AuthDeps,
  user: { id: string; email: string; nombre: string },
): Promise<void> {
  const { config } = deps.platform;
  const { token, expiresAt } = await issueOneTimeToken(
    tx,
    user.id,
    "email_verification",
    config.EMAIL_VERIFICATION_TTL_HOURS * 3600,
  );
  await emitEvent(tx, {
    type: "email.verification_requested",
    aggregateId: user.id,
    producer: "auth",
    payload: {
      user_id: user.id,
      email: user.email,
      nombre: user.nombre,
      verification_url: linkWithToken(config.EMAIL_VERIFICATION_URL_BASE, token),
      expires_at: expiresAt.toISOString(),
    },
    secretKeys: ["verification_url"],
  });
}

export async function requestVerification(deps: AuthDeps, user: AuthUser, ip: string) {
  const { db } = deps.platform;
  await deps.limits.recoveryIp.consume(ip);
  await deps.limits.recoveryAccount.consume(`verify:${user.id}`);
  const account = await findAccountById(db.sql, user.id);
  if (!account) throw new AppError("not_found", MESSAGES.userNotFound);
  if (account.email_verificado_at) {
    return { message: MESSAGES.alreadyVerified, success: true, email_verificado: true };
  }
  await db.asService((tx) => sendVerification(tx, deps, account));
  return { message: MESSAGES.verificationSent, success: true, email_verificado: false };
}

export async function confirmVerification(deps: AuthDeps, token: string, ip: string) {
  await deps.limits.recoveryIp.consume(ip);
  const verified = await deps.platform.db.asService(async (tx) => {
    const userId = await consumeOneTimeToken(tx, token, "email_verification");
    if (userId) await markEmailVerified(tx, userId);
    return userId !== null;
  });
  if (!verified) throw invalidOneTimeToken();
  return { message: MESSAGES.emailVerified, success: true, email_verificado: true };
}
