import type { Tx } from "../../shared/db.ts";
import { type EventHandlers, PermanentEventError } from "../../shared/event-receiver.ts";
import { emitEvent } from "../../shared/events.ts";
import type { SessionRegistry } from "../../shared/sessions.ts";

/**
 * `session.revoked`: a session auth ended in the database while the registry (Redis) did not
 * answer — a refresh-token reuse or a disabled account's refresh, which nobody retries. While
 * Redis is down the database check refuses the session's access tokens (shared/sessions.ts), but
 * once Redis answers again the registry is what every function asks, and it would not know. The
 * event commits with the revocation and writes the registry mark when delivered back to auth
 * (`auth=session.revoked` in EVENT_SUBSCRIBERS); a write that fails answers 500 and QStash
 * retries. The mark lasts until `refuse_until`, when the session's last access token expires.
 */
export const SESSION_REVOKED = "session.revoked";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** In the transaction that ended the session: the registry mark, for when Redis answers again. */
export async function emitSessionRevoked(
  tx: Tx,
  session: { sessionId: string; userId: string; refuseForSeconds: number },
): Promise<void> {
  await emitEvent(tx, {
    type: SESSION_REVOKED,
    aggregateId: session.sessionId,
    producer: "auth",
    payload: {
      session_id: session.sessionId,
      user_id: session.userId,
      refuse_until: new Date(Date.now() + session.refuseForSeconds * 1000).toISOString(),
    },
  });
}

export function sessionEventHandlers(sessions: SessionRegistry): EventHandlers {
  return {
    [SESSION_REVOKED]: async (_tx, event) => {
      const { session_id: sessionId, refuse_until: refuseUntil } = event.payload;
      const until = typeof refuseUntil === "string" ? Date.parse(refuseUntil) : NaN;
      if (typeof sessionId !== "string" || !UUID.test(sessionId) || Number.isNaN(until)) {
        throw new PermanentEventError("session.revoked sin session_id o refuse_until válidos");
      }
      const ttlSeconds = Math.ceil((until - Date.now()) / 1000);
      // Past it, every access token of the session has expired: nothing left to refuse.
      if (ttlSeconds > 0) await sessions.endSession(sessionId, { ttlSeconds });
    },
  };
}
