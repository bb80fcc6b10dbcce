import { createHash } from "node:crypto";
import type { Redis } from "@upstash/redis";
import type { AuthConfig } from "./config.ts";
import type { RateLimitSpec } from "../../shared/config-parsers.ts";
import type { Logger } from "../../shared/log.ts";
import { createSlidingWindowLimiter, rateLimited } from "../../shared/rate-limit.ts";

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

export function createAuthLimits(redis: Redis, config: AuthConfig, log: Logger): AuthLimits {
  const limiter = (name: string, spec: RateLimitSpec) => createLimiter(redis, name, spec, log);
  return {
    registerAccount: limiter("register:account", config.RATE_LIMIT_REGISTER_PER_ACCOUNT),
    registerIp: limiter("register:ip", config.RATE_LIMIT_REGISTER_PER_IP),
    recoveryAccount: limiter("recovery:account", config.RATE_LIMIT_RECOVERY_PER_ACCOUNT),
    recoveryIp: limiter("recovery:ip", config.RATE_LIMIT_RECOVERY_PER_IP),
  };
}

export function createLimiter(redis: Redis, name: string, spec: RateLimitSpec, log: Logger): Limiter {
  return createSlidingWindowLimiter(redis, {
    prefix: `ratelimit:auth:${name}`,
    spec,
    log,
    key: (identifier) => createHash("sha256").update(identifier).digest("base64url").slice(0, 32),
  });
}

/** 429 with the wait in words; `detail` words it differently (the login ceiling). */
export const tooManyAttempts = rateLimited;
