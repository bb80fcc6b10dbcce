import type { Redis } from "@upstash/redis";
import type { AuthUser, SessionCheck } from "./auth.ts";

/**
 * Ending a user's sessions (ban, logout everywhere, password change) stores a "valid after"
 * instant in Redis; access tokens issued before it are refused by every function. Ending ONE
 * session (logout, refresh-token reuse) marks its id — the token's `sid` — as revoked. Each
 * process caches what it read briefly, so a revocation reaches every function within `cacheMs`
 * (< 60 s, the contract's bound) without a Redis round trip per request; the process that
 * revokes sees it at once.
 *
 * @example
 * const sessions = createSessionRegistry(redis);
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

export function createSessionRegistry(redis: Redis, options: { cacheMs?: number } = {}): SessionRegistry {
  const cacheMs = options.cacheMs ?? 30_000;
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

  return {
    async isLive(user: AuthUser) {
      const state = await read(user);
      return !state.sessionEnded && user.issuedAt >= state.validAfter;
    },
    async endAll(userId) {
      // Seconds with millisecond precision, like the `iat` auth mints: every token issued before
      // this instant is refused, even one from earlier in the same second.
      const now = Date.now() / 1000;
      await redis.set(key(userId), now, { ex: KEEP_SECONDS });
      users.set(userId, { validAfter: now, until: Date.now() + cacheMs });
    },
    async endSession(sessionId, endOptions = {}) {
      await redis.set(sessionKey(sessionId), 1, { ex: endOptions.ttlSeconds ?? KEEP_SECONDS });
      ended.set(sessionId, { ended: true, until: Infinity });
    },
  };
}
