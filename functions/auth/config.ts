import { z } from "zod";
import type { ConfigOf } from "../../shared/config.ts";
import type { Platform } from "../../shared/platform.ts";
import { jsonObject, parseRateLimit, rateLimit } from "../../shared/config-parsers.ts";

/**
 * The auth function's settings, added to the platform's (shared/config.ts): token signing, refresh
 * sessions, password hashing, recovery links' lifetimes and brute-force limits.
 */
export const AUTH_SETTINGS = {
  /** Private signing key (a JWK with `kid`, JSON); only the auth function needs it. */
  JWT_PRIVATE_JWK: jsonObject.optional(),
  /** Lifetime of each refresh token (rotated on every use). */
  AUTH_REFRESH_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /**
   * scrypt cost as log2(N), block size r and parallelism p for new hashes. OWASP lists equivalent
   * sets (2^17/8/1 … 2^14/8/5 … 2^13/8/10); 2^14/8/5 needs 16 MiB instead of 128 MiB per hash,
   * which fits an edge function's memory, and measured 2.7x faster here.
   */
  PASSWORD_SCRYPT_LOG_N: z.coerce.number().int().min(13).max(20).default(14),
  PASSWORD_SCRYPT_R: z.coerce.number().int().min(8).max(32).default(8),
  PASSWORD_SCRYPT_P: z.coerce.number().int().min(1).max(16).default(5),
  /** Password hashes computed at once per process (each takes 128·N·r bytes: 16 MiB at the defaults). */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  EMAIL_VERIFICATION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(48),
  /**
   * Limits, `<requests>/<window>` with s, m, h or d. Failed password checks (successes never count;
   * functions/auth/login-throttle.ts): per account from one client address (a success clears it)…
   */
  RATE_LIMIT_LOGIN_PER_ACCOUNT: rateLimit.default(parseRateLimit("10/15m")),
  /** …per client address, whatever the account (password spraying)… */
  RATE_LIMIT_LOGIN_PER_IP: rateLimit.default(parseRateLimit("100/15m")),
  /** …per account across all addresses: blocks everyone and e-mails the owner (`auth.login_throttled`). */
  RATE_LIMIT_LOGIN_ACCOUNT_CEILING: rateLimit.default(parseRateLimit("100/1h")),
  /** Sliding windows of registration per e-mail and per IP… */
  RATE_LIMIT_REGISTER_PER_ACCOUNT: rateLimit.default(parseRateLimit("5/1h")),
  RATE_LIMIT_REGISTER_PER_IP: rateLimit.default(parseRateLimit("20/1h")),
  /** …forgot/reset password and e-mail verification, per e-mail (or token) and per IP. */
  RATE_LIMIT_RECOVERY_PER_ACCOUNT: rateLimit.default(parseRateLimit("5/1h")),
  RATE_LIMIT_RECOVERY_PER_IP: rateLimit.default(parseRateLimit("30/1h")),
};

export type AuthConfig = ConfigOf<typeof AUTH_SETTINGS>;
export type AuthPlatform = Platform<AuthConfig>;
