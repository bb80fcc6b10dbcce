import type { Redis } from "@upstash/redis";
import type { Ratelimit } from "@upstash/ratelimit";
import type { RateLimitSpec } from "../../shared/config-parsers.ts";
import { AppError } from "../../shared/errors.ts";

/**
 * Per-user limit of the directory search (`GET /users/search`): a sliding window in Redis
 * (@upstash/ratelimit), keyed by the caller's user id. The directory no longer shows e-mails, but
 * names and avatars of everyone are still worth harvesting; a person looking for a contact types
 * a few queries, a script thousands.
 */
export type DirectoryLimiter = { consume(userId: string): Promise<void> };

export function createDirectoryLimiter(redis: Redis, spec: RateLimitSpec): DirectoryLimiter {
  // The SDK loads with the first search, not at boot.
  let limiter: Promise<Ratelimit> | null = null;
  const load = async () => {
    const { Ratelimit } = await import("@upstash/ratelimit");
    return new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(spec.limit, `${spec.windowMs} ms`),
      prefix: "ratelimit:users:directory",
      analytics: false,
    });
  };
  const ratelimit = { limit: async (id: string) => (await (limiter ??= load())).limit(id) };
  return {
    async consume(userId) {
      const result = await ratelimit.limit(userId);
      if (!result.success) throw tooManySearches(result, Date.now());
    },
  };
}

/** 429 with Retry-After (whole seconds, at least 1) and the X-RateLimit-* headers. */
export function tooManySearches(result: { limit: number; reset: number }, now: number): AppError {
  const seconds = Math.max(1, Math.ceil((result.reset - now) / 1000));
  const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutos` : `${seconds} segundos`;
  return new AppError("rate_limited", `Demasiadas búsquedas. Esperá ${wait} antes de volver a buscar.`, {
    headers: {
      "retry-after": String(seconds),
      "x-ratelimit-limit": String(result.limit),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(Math.ceil(result.reset / 1000)),
    },
  });
}
