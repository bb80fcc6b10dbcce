import type { Redis } from "@upstash/redis";
import type { AuthUser, SessionCheck } from "./auth.ts";
import type { Sql } from "./db.ts";
import type { Logger } from "./log.ts";
import { redisOutage, redisUnavailable } from "./redis-outage.ts";

/**
 * Ending a user's sessions (ban, logout everywhere, password change) stores a "valid after"
 * instant in Redis; access tokens issued before it are refused by every function. Ending ONE
 * session (logout, refresh-token reuse) marks its id — the token's `sid` — as revoked. Each
 * process caches what it read briefly, so a revocation reaches every function within `cacheMs`
 * (< 60 s, the contract's bound) without a Redis round trip per request; the process that
 * revokes sees it at once.
 *
 * When Redis does not answer, a check asks `fallback` instead (Postgres, `sessionInDatabase`:
 * every revocation is also written there), so a banned user stays out and nobody else is locked
 * out; ending sessions answers 503 instead, before anything is committed (callers write Redis
 * inside their transaction), so no revocation is lost when Redis comes back. The one revocation
 * that cannot wait for a retry (auth's refresh-token reuse: nobody retries a thief's request)
 * commits in Postgres anyway and owes its mark, written by a scheduled run once Redis answers
 * (functions/auth/registry-marks.ts).
 *
 * @example
 * const sessions = createSessionRegistry(redis, { fallback: sessionInDatabase(db.sql), log });
 * await sessions.endAll(userId);          // auth / users
 * await sessions.endSession(sid);         // auth: logout of one device
 * app.use(requireUser(verify, sessions.isLive)); // every function
 */
export type SessionRegistry = {
  isLive: SessionCheck;
  endAll(userId: string): Promise<void>;
  /** Refuses every access token carrying `sid: sessionId` from now on (for `ttlSeconds`). */
  endSession(sessionId: string, options?: { ttlSeconds?: number }): Promise<void>;
};

const key = (userId: string) => `sessions:valid_after:${userId}`;
const sessionKey = (sessionId: string) => `sessions:revoked:${sessionId}`;
const KEEP_SECONDS = 60 * 60 * 24 * 31; // longer than any token or refresh lifetime

type Cached = { validAfter: number; sessionEnded: boolean; until: number };

export function createSessionRegistry(
  redis: Redis,
  options: { cacheMs?: number; fallback?: SessionCheck; log?: Logger } = {},
): SessionRegistry {
  const cacheMs = options.cacheMs ?? 30_000;
  const checkOutage = options.log && redisOutage(options.log, "session check", "checked in Postgres");
  const endOutage = options.log && redisOutage(options.log, "ending sessions", "refused (503)");
  const users = new Map<string, { validAfter: number; until: number }>();
  const ended = new Map<string, { ended: boolean; until: number }>();

  async function read(user: AuthUser): Promise<Cached> {
    const now = Date.now();
    const hitUser = users.get(user.id);
    const hitSession = user.sessionId ? ended.get(user.sessionId) : { ended: false, until: Infinity };
    if (hitUser && hitUser.until > now && hitSession && hitSession.until > now) {
      return { validAfter: hitUser.validAfter, sessionEnded: hitSession.ended, until: hitUser.until };
    }
    // One round trip for both facts.
    const [validAfter, revoked] = user.sessionId
      ? await redis.mget<[number | null, number | null]>(key(user.id), sessionKey(user.sessionId))
      : [await redis.get<number>(key(user.id)), null];
    if (users.size > 10_000) users.clear();
    if (ended.size > 10_000) ended.clear();
    const until = now + cacheMs;
    users.set(user.id, { validAfter: Number(validAfter ?? 0), until });
    if (user.sessionId) {
      // An ended session never comes back: remember that for good.
      ended.set(user.sessionId, { ended: revoked !== null, until: revoked !== null ? Infinity : until });
    }
    return { validAfter: Number(validAfter ?? 0), sessionEnded: revoked !== null, until };
  }

  /** A revocation in Redis, or the 503 that leaves its caller's transaction uncommitted. */
  async function write(fn: () => Promise<unknown>) {
    try {
      await fn();
    } catch (error) {
      endOutage?.report(error);
      throw redisUnavailable(
        "No pudimos cerrar las sesiones en este momento. Probá de nuevo en unos minutos.",
      );
    }
  }

  return {
    async isLive(user: AuthUser) {
      let state: Cached;
      try {
        state = await read(user);
      } catch (error) {
        if (!options.fallback) throw error;
        checkOutage?.report(error);
        return await options.fallback(user);
      }
      return !state.sessionEnded && user.issuedAt >= state.validAfter;
    },
    async endAll(userId) {
      // Seconds with millisecond precision, like the `iat` auth mints: every token issued before
      // this instant is refused, even one from earlier in the same second.
      const now = Date.now() / 1000;
      await write(() => redis.set(key(userId), now, { ex: KEEP_SECONDS }));
      users.set(userId, { validAfter: now, until: Date.now() + cacheMs });
    },
    async endSession(sessionId, endOptions = {}) {
      await write(() => redis.set(sessionKey(sessionId), 1, { ex: endOptions.ttlSeconds ?? KEEP_SECONDS }));
      ended.set(sessionId, { ended: true, until: Infinity });
    },
  };
}

/**
 * The session check from Postgres, where every revocation is recorded too: the account is active
 * and still has the token's role (a ban or a role change), and the token's session exists and
 * was not ended (logout, logout everywhere, password change or reset, refresh-token reuse).
 */
export function sessionInDatabase(sql: Sql): SessionCheck {
  return async (user) => {
    if (!user.sessionId) return false;
    const [row] = await sql<{ live: boolean }[]>`
      select exists (
        select 1 from public.usuarios u join public.auth_sessions s on s.user_id = u.id
        where u.id = ${user.id} and u.is_active and u.rol::text = ${user.rol}
          and s.id = ${user.sessionId} and s.revoked_at is null
      ) as live`;
    return row.live;
  };
}
