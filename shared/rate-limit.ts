import type { Redis } from "@upstash/redis";
import type { Ratelimit } from "@upstash/ratelimit";
import type { RateLimitSpec } from "./config-parsers.ts";
import { AppError } from "./errors.ts";
import type { Logger } from "./log.ts";
import { redisOutage } from "./redis-outage.ts";

/**
 * A sliding-window limit in Redis (@upstash/ratelimit), loaded with the first attempt counted,
 * not at boot. `consume` counts one attempt and throws our 429 (Retry-After, X-RateLimit-*) when
 * over the limit; `refund` gives one back. When Redis does not answer the attempt is let through
 * uncounted (a warn line says so): a limit must not take its route down with Redis.
 *
 * @example
 * const limit = createSlidingWindowLimiter(redis, { prefix: "ratelimit:users:directory", spec, log });
 * await limit.consume(user.id); // 429 "Demasiados intentos…" beyond spec.limit per window
 */
export type SlidingWindowLimiter = {
  consume(identifier: string): Promise<void>;
  refund(identifier: string): Promise<void>;
};

export function createSlidingWindowLimiter(
  redis: Redis,
  options: {
    prefix: string;
    spec: RateLimitSpec;
    log: Logger;
    /** The Redis key of an identifier (e.g. a hash, so no e-mail is stored); the identifier itself by default. */
    key?: (identifier: string) => string;
    /** The 429's detail, given the wait in words. */
    detail?: (wait: string) => string;
  },
): SlidingWindowLimiter {
  let loaded: Promise<Ratelimit> | null = null;
  const load = async () => {
    const { Ratelimit } = await import("@upstash/ratelimit");
    return new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(options.spec.limit, `${options.spec.windowMs} ms`),
      prefix: options.prefix,
      analytics: false,
    });
  };
  const key = options.key ?? ((identifier: string) => identifier);
  const outage = redisOutage(options.log, `rate limit ${options.prefix}`, "allowed without counting");
  // Only Redis's failures: the package loads before, and a refusal is thrown after.
  const counted = async (...args: Parameters<Ratelimit["limit"]>) => {
    const limiter = await (loaded ??= load());
    try {
      return await limiter.limit(...args);
    } catch (error) {
      outage.report(error);
      return null;
    }
  };
  return {
    async consume(identifier) {
      const result = await counted(key(identifier));
      if (result && !result.success) throw rateLimited(result, Date.now(), options.detail);
    },
    async refund(identifier) {
      await counted(key(identifier), { rate: -1 });
    },
  };
}

/**
 * 429 with the wait in words (seconds, or minutes from two minutes on), Retry-After in whole
 * seconds (at least 1) and the X-RateLimit-* headers.
 *
 * @example
 * throw rateLimited({ limit: 10, reset: Date.now() + 90_000 }, Date.now()); // "…Esperá 90 segundos…"
 */
export function rateLimited(
  result: { limit: number; reset: number },
  now: number,
  detail: (wait: string) => string = (wait) =>
    `Demasiados intentos. Esperá ${wait} antes de volver a intentar.`,
): AppError {
  const seconds = Math.max(1, Math.ceil((result.reset - now) / 1000));
  const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutos` : `${seconds} segundos`;
  return new AppError("rate_limited", detail(wait), {
    headers: {
      "retry-after": String(seconds),
      "x-ratelimit-limit": String(result.limit),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(Math.ceil(result.reset / 1000)),
    },
  });
}
