import { z } from "zod";
import { parseRateLimit, rateLimit } from "./config-parsers.ts";

/**
 * Settings of accounts: tokens, passwords, recovery links, brute-force and directory limits. One part
 * of the single schema `shared/config.ts` parses at boot (the only place that reads the environment).
 *
 * @example
 * const configSchema = z.object({ ...ACCOUNT_SETTINGS, APP_VERSION: z.string() });
 */
export const ACCOUNT_SETTINGS = {
  // --- auth: tokens, passwords, recovery, brute-force limits ---
  /** Access-token lifetime; the existing frontend never refreshes, so it matches the original's 60. */
  JWT_ACCESS_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
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
  /**
   * Where the reset e-mail's link points (`?token=` appended). Default: the page auth serves,
   * `${PUBLIC_API_URL}/reset-password` (see loadConfig); a frontend with its own page sets it.
   */
  PASSWORD_RESET_URL_BASE: z.url(),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  /** Where the verification e-mail's link points (`?token=` appended). Default `${PUBLIC_API_URL}/verify-email`. */
  EMAIL_VERIFICATION_URL_BASE: z.url(),
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
  // --- users: the directory ---
  /** `GET /users/search` per signed-in user (sliding window): enough to type a name, too few to harvest. */
  RATE_LIMIT_USER_DIRECTORY: rateLimit.default(parseRateLimit("30/1m")),
};
