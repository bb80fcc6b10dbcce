import assert from "node:assert/strict";
import { z } from "zod";
import {
  checkGatewayConfig,
  GATEWAY_SETTINGS,
  INLINE_GATEWAY_SETTINGS,
} from "../../functions/gateway/config.ts";
import { ConfigError, loadConfig } from "../../shared/config.ts";

const minimal = {
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/app",
  JWT_PUBLIC_JWKS: '{"keys":[]}',
  UPSTASH_REDIS_REST_URL: "http://127.0.0.1:8079",
  UPSTASH_REDIS_REST_TOKEN: "t",
  SUPABASE_URL: "http://127.0.0.1:54321",
  SUPABASE_SERVICE_ROLE_KEY: "k",
};

function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const configError = (env: Record<string, string>) => configErrorOf(() => loadConfig(env));

Deno.test("loadConfig applies defaults and freezes the result", () => {
  const config = loadConfig(minimal);
  assert.equal(config.LOG_LEVEL, "info");
  assert.equal(config.JWT_AUDIENCE, "authenticated");
  assert.deepEqual(config.CORS_ORIGINS, [
    "http://localhost:3000",
    "http://127.0.0.1:3000",
    "http://localhost:3001",
  ]);
  assert.ok(Object.isFrozen(config));
});

Deno.test("loadConfig fails naming every missing variable", () => {
  const error = configError({});
  for (
    const name of ["DATABASE_URL", "JWT_PUBLIC_JWKS", "UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN"]
  ) {
    assert.ok(error.variables.includes(name), `${name} in ${error.variables}`);
    assert.match(error.message, new RegExp(name));
  }
});

Deno.test("loadConfig rejects a malformed value with its name", () => {
  const error = configError({ ...minimal, DB_POOL_MAX: "lots", JWT_PUBLIC_JWKS: "{not json" });
  assert.deepEqual(error.variables.sort(), ["DB_POOL_MAX", "JWT_PUBLIC_JWKS"]);
});

Deno.test("loadConfig takes Supabase's SUPABASE_DB_URL when DATABASE_URL is absent", () => {
  const { DATABASE_URL: _, ...rest } = minimal;
  const config = loadConfig({ ...rest, SUPABASE_DB_URL: "postgres://u@db.example:6543/postgres" });
  assert.equal(config.DATABASE_URL, "postgres://u@db.example:6543/postgres");
});

Deno.test("CORS_ORIGINS is a comma-separated allow-list", () => {
  const config = loadConfig({ ...minimal, CORS_ORIGINS: "https://app.example, https://admin.example ," });
  assert.deepEqual(config.CORS_ORIGINS, ["https://app.example", "https://admin.example"]);
});

Deno.test("a function's own settings are parsed with the platform's, and only its own", () => {
  const settings = { SEARCH_MAX_LIMIT: z.coerce.number().int().min(1).default(100) };
  const config = loadConfig({ ...minimal, SEARCH_MAX_LIMIT: "50", MERCADOPAGO_TIMEOUT_MS: "soon" }, settings);
  assert.equal(config.SEARCH_MAX_LIMIT, 50);
  assert.equal(config.DATABASE_URL, minimal.DATABASE_URL);
  // Another function's variable, even a malformed one, is not this function's concern.
  assert.ok(!("MERCADOPAGO_TIMEOUT_MS" in config));
  assert.deepEqual(
    configErrorOf(() => loadConfig({ ...minimal, SEARCH_MAX_LIMIT: "0" }, settings)).variables,
    [
      "SEARCH_MAX_LIMIT",
    ],
  );
});

Deno.test("a check across variables runs after parsing and names its variable", () => {
  const settings = { MODE: z.enum(["a", "b"]).default("a"), B_URL: z.url().optional() };
  const check = (c: { MODE: string; B_URL?: string }) =>
    c.MODE === "b" && !c.B_URL ? [{ variable: "B_URL", message: "mode b needs it" }] : [];
  assert.equal(loadConfig({ ...minimal, MODE: "b", B_URL: "http://b.example" }, settings, check).MODE, "b");
  const error = configErrorOf(() => loadConfig({ ...minimal, MODE: "b" }, settings, check));
  assert.deepEqual(error.variables, ["B_URL"]);
  assert.match(error.message, /B_URL: mode b needs it/);
});

Deno.test("the gateway runs inline by default, with every function's settings", () => {
  const config = loadConfig(minimal, INLINE_GATEWAY_SETTINGS, checkGatewayConfig);
  assert.equal(config.GATEWAY_MODE, "inline");
  assert.equal(config.SEARCH_MAX_LIMIT, 100);
  assert.equal(config.PAYOUT_MIN_AMOUNT, 1000);
});

Deno.test("proxy mode needs FUNCTIONS_BASE_URL or a URL per service", () => {
  const env = { ...minimal, GATEWAY_MODE: "proxy", AUTH_SERVICE_URL: "http://127.0.0.1:8001" };
  const error = configErrorOf(() => loadConfig(env, GATEWAY_SETTINGS, checkGatewayConfig));
  assert.ok(error.variables.includes("FUNCTIONS_BASE_URL"));
  assert.match(error.message, /USERS_SERVICE_URL/);
  assert.doesNotMatch(error.message, /AUTH_SERVICE_URL,/);
  const ok = loadConfig(
    { ...minimal, GATEWAY_MODE: "proxy", FUNCTIONS_BASE_URL: "https://ref.supabase.co/functions/v1" },
    GATEWAY_SETTINGS,
    checkGatewayConfig,
  );
  assert.equal(ok.GATEWAY_MODE, "proxy");
});

Deno.test("proxy mode reads only the gateway's settings: a bad variable of a function does not stop it", () => {
  const env = {
    ...minimal,
    GATEWAY_MODE: "proxy",
    FUNCTIONS_BASE_URL: "https://ref.supabase.co/functions/v1",
    MERCADOPAGO_TIMEOUT_MS: "soon",
  };
  assert.equal(loadConfig(env, GATEWAY_SETTINGS, checkGatewayConfig).GATEWAY_MODE, "proxy");
  assert.throws(() => loadConfig(env, INLINE_GATEWAY_SETTINGS), /MERCADOPAGO_TIMEOUT_MS/);
});
