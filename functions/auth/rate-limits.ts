import { createHash } from "node:crypto";
import type { Redis } from "@upstash/redis";
import type { Ratelimit } from "@upstash/ratelimit";
import type { Config } from "../../shared/config.ts";
import type { RateLimitSpec } from "../../shared/config-parsers.ts";
import { AppError } from "../../shared/errors.ts";

/**
 * Brute-force protection: sliding windows in Redis (@upstash/ratelimit), one per account and one
 * per IP for registration and recovery. Keys hold a hash of the e-mail, never the address itself.
 * Password checks (login, change password) have their own failure counters: login-throttle.ts.
 */
export type Limiter = {
  /** Counts one attempt; throws 429 (with Retry-After and X-RateLimit-*) when over the limit. */
  consume(identifier: string): Promise<void>;
  /** Gives back one attempt (a login that succeeded does not count as a failure). */
  refund(identifier: string): Promise<void>;
};

export type AuthLimits = Record<"registerAccount" | "registerIp" | "recoveryAccount" | "recoveryIp", Limiter>;

export function createAuthLimits(redis: Redis, config: Config): AuthLimits {
  return {
    registerAccount: createLimiter(redis, "register:account", config.RATE_LIMIT_REGISTER_PER_ACCOUNT),
    registerIp: createLimiter(redis, "register:ip", config.RATE_LIMIT_REGISTER_PER_IP),
    recoveryAccount: createLimiter(redis, "recovery:account", config.RATE_LIMIT_RECOVERY_PER_ACCOUNT),
    recoveryIp: createLimiter(redis, "recovery:ip", config.RATE_LIMIT_RECOVERY_PER_IP),
  };
}

export function createLimiter(redis: Redis, name: string, spec: RateLimitSpec): Limiter {
  // The SDK loads with the first attempt counted, not at boot.
  let limiter: Promise<Ratelimit> | null = null;
  const load = async () => {
    const { Ratelimit } = await import("@upstash/ratelimit");
    return new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(spec.limit, `${spec.windowMs} ms`),
      prefix: `ratelimit:auth:${name}`,
      analytics: false,
    });
  };
  const ratelimit = {
    limit: async (...args: Parameters<Ratelimit["limit"]>) => (await (limiter ??= load())).limit(...args),
  };
  const key = (identifier: string) =>
    createHash("sha256").update(identifier).digest("base64url").slice(0, 32);
  return {
    async consume(identifier) {
      const result = await ratelimit.limit(key(identifier));
      if (!result.success) throw tooManyAttempts(result, Date.now());
    },
    async refund(identifier) {
      await ratelimit.limit(key(identifier), { rate: -1 });
    },
  };
}

/** 429 with the wait in words; `detail` words it differently (the login ceiling). */
export function tooManyAttempts(
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
