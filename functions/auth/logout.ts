import type { AuthUser } from "../../shared/auth.ts";
import type { AuthDeps } from "./deps.ts";
import { MESSAGES } from "./messages.ts";
import { endSessions, sessionOfRefreshToken } from "./refresh-sessions.ts";

/**
 * Ending sessions: the refresh-token families in the database, and their access tokens through
 * the session registry (every function refuses them within its cache time; this one at once).
 * The registry is written before the commit: when Redis is down the answer is 503 and nothing
 * ends, rather than sessions ended in Postgres whose tokens Redis would let in again later.
 */
export async function logOut(deps: AuthDeps, user: AuthUser, refreshToken?: string) {
  await deps.platform.db.asService(async (tx) => {
    const ids = new Set<string>();
    if (user.sessionId) ids.add(user.sessionId);
    if (refreshToken) {
      const sid = await sessionOfRefreshToken(tx, user.id, refreshToken);
      if (sid) ids.add(sid);
    }
    for (const sid of ids) await endSessions(tx, user.id, "logout", { only: sid });
    await endInRegistry(deps, ids);
  });
  return { message: MESSAGES.loggedOut, success: true };
}

export async function logOutEverywhere(deps: AuthDeps, user: AuthUser) {
  await deps.platform.db.asService(async (tx) => {
    const ended = await endSessions(tx, user.id, "logout_all");
    await deps.platform.sessions.endAll(user.id);
    await endInRegistry(deps, user.sessionId ? [...ended, user.sessionId] : ended);
  });
  return { message: MESSAGES.loggedOutEverywhere, success: true };
}

/** How long a session's registry mark lasts: past its longest access token, plus a minute of clock skew. */
export function markSeconds(deps: AuthDeps): number {
  return deps.tokens.ttlSeconds + 60;
}

/** Access tokens of these sessions stop working; the mark outlives the longest access token. */
export async function endInRegistry(deps: AuthDeps, sessionIds: Iterable<string>): Promise<void> {
  const ttlSeconds = markSeconds(deps);
  await Promise.all(
    [...new Set(sessionIds)].map((sid) => deps.platform.sessions.endSession(sid, { ttlSeconds })),
  );
}
