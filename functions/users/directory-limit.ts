import type { Redis } from "@upstash/redis";
import type { RateLimitSpec } from "../../shared/config-parsers.ts";
import type { Logger } from "../../shared/log.ts";
import { createSlidingWindowLimiter } from "../../shared/rate-limit.ts";

/**
 * Per-user limit of the directory search (`GET /users/search`): a sliding window in Redis
 * (@upstash/ratelimit), keyed by the caller's user id. The directory no longer shows e-mails, but
 * names and avatars of everyone are still worth harvesting; a person looking for a contact types
 * a few queries, a script thousands.
 */
export type DirectoryLimiter = { consume(userId: string): Promise<void> };

export function createDirectoryLimiter(redis: Redis, spec: RateLimitSpec, log: Logger): DirectoryLimiter {
  return createSlidingWindowLimiter(redis, {
    prefix: "ratelimit:users:directory",
    spec,
    log,
    detail: (wait) => `Demasiadas búsquedas. Esperá ${wait} antes de volver a buscar.`,
  });
}
