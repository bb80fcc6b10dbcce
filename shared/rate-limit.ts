import type { Redis } from "@upstash/redis";
import type { Ratelimit } from "@upstash/ratelimit";
import type { RateLimitSpec } from "./config-parsers.ts";
import { AppError } from "./errors.ts";

/**
 * A sliding-window limit in Redis (@upstash/ratelimit), loaded with the first attempt counted,
 * not at boot. `consume` counts one attempt and throws our 429 (Retry-After, X-RateLimit-*) when
 * over the limit; `refund` gives one back.
 *
 * @example
 * const limit = createSlidingWindowLimiter(redis, { prefix: "ratelimit:users:directory", spec });
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
    /** The Redis key of an identifier (e.g. a hash, so no e-mail is stored); the identifier itself by default. */
    key?: (identifier: string) => string;
    /** The 429's detail, given the wait in words. */
    detail?: (wait: string) => string;
  },
): SlidingWindowLimiter {
  let limiter: Promise<Ratelimit> | null = null;
  const load = async () => {
    const { Ratelimit } = await import("@upstash/ratelimit");
    return new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(options.spec.limit, `${options.spec.windowMs} ms`),
      prefix: options.prefix,
      analytics: false,
    });
  };
  const limit = async (...args: Parameters<Ratelimit["limit"]>) =>
    (await (limiter ??= load())).limit(...args);
  const key = options.key ?? ((identifier: string) => identifier);
  return {
    async consume(identifier) {
      const result = await limit(key(identifier));
      if (!result.success) throw rateLimited(result, Date.now(), options.detail);
    },
    async refund(identifier) {
      await limit(key(identifier), { rate: -1 });
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
