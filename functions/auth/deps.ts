import type { AuthPlatform } from "./config.ts";
import type { JsonWebKeySet } from "../../shared/jwt-keys.ts";
import { type AccessTokenIssuer, createAccessTokenIssuer } from "./access-tokens.ts";
import { createPasswordHasher, type PasswordHasher } from "./passwords.ts";
import { createLoginThrottle, type LoginThrottle } from "./login-throttle.ts";
import { type AuthLimits, createAuthLimits } from "./rate-limits.ts";

/** What auth's flows need beyond the platform: hashing, token minting and rate limits. */
export type AuthDeps = {
  platform: AuthPlatform;
  passwords: PasswordHasher;
  tokens: AccessTokenIssuer;
  limits: AuthLimits;
  /** Failure counters of password checks (login, change password). */
  loginThrottle: LoginThrottle;
};

/** Built once per process; fails at boot (naming the variable) when the signing key is unusable. */
export function createAuthDeps(platform: AuthPlatform): AuthDeps {
  const { config } = platform;
  return {
    platform,
    passwords: createPasswordHasher(
      { logN: config.PASSWORD_SCRYPT_LOG_N, r: config.PASSWORD_SCRYPT_R, p: config.PASSWORD_SCRYPT_P },
      { concurrency: config.PASSWORD_HASH_CONCURRENCY },
    ),
    tokens: createAccessTokenIssuer({
      privateJwk: config.JWT_PRIVATE_JWK,
      publicJwks: config.JWT_PUBLIC_JWKS as JsonWebKeySet,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlMinutes: config.JWT_ACCESS_TTL_MINUTES,
    }),
    limits: createAuthLimits(platform.redis, config, platform.log),
    loginThrottle: createLoginThrottle(platform.redis, platform.log, {
      perAccountIp: config.RATE_LIMIT_LOGIN_PER_ACCOUNT,
      perIp: config.RATE_LIMIT_LOGIN_PER_IP,
      perAccount: config.RATE_LIMIT_LOGIN_ACCOUNT_CEILING,
    }),
  };
}
