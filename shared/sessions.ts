import type { Redis } from "@upstash/redis";
import type { AuthUser, SessionCheck } from "./auth.ts";

/**
 * Ending a user's sessions (ban, logout everywhere, password change) stores a "valid after"
 * instant in Redis; access tokens issued before it are refused by every function. Each process
 * caches the instant briefly, so a revocation reaches every function within `cacheMs` (< 60 s,
 * the contract's bound) without a Redis round trip per request.
 *
 * @example
 * const sessions = createSessionRegistry(redis);
 * await sessions.endAll(userId);          // auth / users
 * app.use(requireUser(verify, sessions.isLive)); // every function
 */
export type SessionRegistry = {
  isLive: SessionCheck;
  endAll(userId: string): Promise<void>;
};

const key = (userId: string) => `sessions:valid_after:${userId}`;
const KEEP_SECONDS = 60 * 60 * 24 * 31; // longer than any token or refresh lifetime

export function createSessionRegistry(redis: Redis, options: { cacheMs?: number } = {}): SessionRegistry {
  const cacheMs = options.cacheMs ?? 30_000;
  const cache = new Map<string, { validAfter: number; until: number }>();

  async function validAfter(userId: string): Promise<number> {
    const hit = cache.get(userId);
    if (hit && hit.until > Date.now()) return hit.validAfter;
    const stored = Number(await redis.get(key(userId)) ?? 0);
    if (cache.size > 10_000) cache.clear();
    cache.set(userId, { validAfter: stored, until: Date.now() + cacheMs });
    return stored;
  }

  return {
    isLive: async (user: AuthUser) => user.issuedAt >= await validAfter(user.id),
    async endAll(userId) {
      // Whole seconds, like `iat`: a token minted later in this same second stays valid.
      const now = Math.floor(Date.now() / 1000);
      await redis.set(key(userId), now, { ex: KEEP_SECONDS });
      cache.set(userId, { validAfter: now, until: Date.now() + cacheMs });
    },
  };
}
