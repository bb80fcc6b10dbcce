import assert from "node:assert/strict";
import { AUTH_SETTINGS } from "../../functions/auth/config.ts";
import { ConfigError, loadConfig } from "../../shared/config.ts";
import { it, testEnv } from "../support/env.ts";

/** The run's environment without the auth settings the local stack overrides. */
function envWithoutAuthSettings(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(testEnv()).filter(([k]) =>
      !/^(RATE_LIMIT_|PASSWORD_|JWT_ACCESS_|AUTH_|EMAIL_VERIFICATION_|PUBLIC_API_URL)/.test(k)
    ),
  );
}

it("auth's settings have production defaults: 60-minute tokens, OWASP scrypt, sane brute-force limits", () => {
  const config = loadConfig(envWithoutAuthSettings(), AUTH_SETTINGS);
  assert.equal(config.JWT_ACCESS_TTL_MINUTES, 60);
  assert.equal(config.AUTH_REFRESH_TTL_DAYS, 30);
  assert.deepEqual([config.PASSWORD_SCRYPT_LOG_N, config.PASSWORD_SCRYPT_R, config.PASSWORD_SCRYPT_P], [
    14,
    8,
    5,
  ]);
  assert.equal(config.PASSWORD_RESET_TTL_MINUTES, 60);
  assert.deepEqual(config.RATE_LIMIT_LOGIN_PER_ACCOUNT, { limit: 10, windowMs: 900_000 });
  assert.deepEqual(config.RATE_LIMIT_LOGIN_PER_IP, { limit: 100, windowMs: 900_000 });
  assert.deepEqual(config.RATE_LIMIT_LOGIN_ACCOUNT_CEILING, { limit: 100, windowMs: 3_600_000 });
  assert.deepEqual(config.RATE_LIMIT_REGISTER_PER_IP, { limit: 20, windowMs: 3_600_000 });
});

it("a malformed auth setting fails at boot naming the variable", () => {
  assert.throws(
    () =>
      loadConfig({
        ...envWithoutAuthSettings(),
        RATE_LIMIT_LOGIN_PER_IP: "lots",
        PASSWORD_SCRYPT_LOG_N: "9",
      }, AUTH_SETTINGS),
    (e) =>
      e instanceof ConfigError && e.variables.includes("RATE_LIMIT_LOGIN_PER_IP") &&
      e.variables.includes("PASSWORD_SCRYPT_LOG_N"),
  );
  const custom = loadConfig({ ...envWithoutAuthSettings(), RATE_LIMIT_LOGIN_PER_IP: "7/2m" }, AUTH_SETTINGS);
  assert.deepEqual(custom.RATE_LIMIT_LOGIN_PER_IP, { limit: 7, windowMs: 120_000 });
});

it("the e-mails' links default to the pages auth serves at the API's origin, and stay configurable", () => {
  // The frontend has no /reset-password nor /verify-email page: links to it led nowhere.
  const local = loadConfig(envWithoutAuthSettings(), AUTH_SETTINGS);
  assert.equal(local.PASSWORD_RESET_URL_BASE, "http://localhost:8000/reset-password");
  assert.equal(local.EMAIL_VERIFICATION_URL_BASE, "http://localhost:8000/verify-email");
  const hosted = loadConfig(
    { ...envWithoutAuthSettings(), PUBLIC_API_URL: "https://api.example.com/" },
    AUTH_SETTINGS,
  );
  assert.equal(hosted.PASSWORD_RESET_URL_BASE, "https://api.example.com/reset-password");
  assert.equal(hosted.EMAIL_VERIFICATION_URL_BASE, "https://api.example.com/verify-email");
  const own = loadConfig({
    ...envWithoutAuthSettings(),
    PASSWORD_RESET_URL_BASE: "https://app.example.com/restablecer",
    EMAIL_VERIFICATION_URL_BASE: "https://app.example.com/verificar",
  }, AUTH_SETTINGS);
  assert.equal(own.PASSWORD_RESET_URL_BASE, "https://app.example.com/restablecer");
  assert.equal(own.EMAIL_VERIFICATION_URL_BASE, "https://app.example.com/verificar");
});
