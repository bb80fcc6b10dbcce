import type { AuthUser } from "../../shared/auth.ts";
import { AppError } from "../../shared/errors.ts";
import { findAccountById, storePasswordHash } from "./credentials.ts";
import type { AuthDeps } from "./deps.ts";
import { recordFailure } from "./login.ts";
import { endInRegistry } from "./logout.ts";
import { MESSAGES } from "./messages.ts";
import { endSessions } from "./refresh-sessions.ts";
import { announcePasswordChange } from "./password-reset.ts";

/**
 * A signed-in user changes their password: the current one is required (and its failures count
 * like failed logins), the new one must differ, and every OTHER session ends.
 */
export async function changePassword(
  deps: AuthDeps,
  user: AuthUser,
  input: { current_password: string; new_password: string },
  ip: string,
) {
  const { db } = deps.platform;
  const account = await findAccountById(db.sql, user.id);
  if (!account) throw new AppError("not_found", MESSAGES.userNotFound);
  const attempt = await deps.loginThrottle.begin(account.email, ip);
  const check = await deps.passwords.verify(account.password_hash, input.current_password);
  if (!check.ok) {
    await recordFailure(deps, attempt, account);
    throw new AppError("bad_request", MESSAGES.wrongCurrentPassword);
  }
  await attempt.succeeded();
  if (input.new_password === input.current_password) throw new AppError("bad_request", MESSAGES.samePassword);
  const passwordHash = await deps.passwords.hash(input.new_password);
  await db.asService(async (tx) => {
    await storePasswordHash(tx, user.id, passwordHash);
    await tx`update public.auth_one_time_tokens set used_at = now()
      where user_id = ${user.id} and purpose = 'password_reset' and used_at is null`;
    const ids = await endSessions(tx, user.id, "password_changed", { except: user.sessionId });
    await announcePasswordChange(tx, user.id, "change");
    // Before the commit, as logout does (logout.ts).
    await endInRegistry(deps, ids);
  });
  return { message: MESSAGES.passwordChanged, success: true };
}
