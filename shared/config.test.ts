import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./config.ts";

const minimal = {
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/app",
  JWT_PUBLIC_JWKS: '{"keys":[]}',
  UPSTASH_REDIS_REST_URL: "http://127.0.0.1:8079",
  UPSTASH_REDIS_REST_TOKEN: "t",
  SUPABASE_URL: "http://127.0.0.1:54321",
  SUPABASE_SERVICE_ROLE_KEY: "k",
};

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

Deno.test("loadConfig applies defaults and freezes the result", () => {
  const config = loadConfig(minimal);
  assert.equal(config.GATEWAY_MODE, "inline");
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

Deno.test("proxy mode needs FUNCTIONS_BASE_URL or a URL per service", () => {
  const error = configError({ ...minimal, GATEWAY_MODE: "proxy", AUTH_SERVICE_URL: "http://127.0.0.1:8001" });
  assert.ok(error.variables.includes("FUNCTIONS_BASE_URL"));
  assert.match(error.message, /USERS_SERVICE_URL/);
  assert.doesNotMatch(error.message, /AUTH_SERVICE_URL,/);
  const ok = loadConfig({
    ...minimal,
    GATEWAY_MODE: "proxy",
    FUNCTIONS_BASE_URL: "https://ref.supabase.co/functions/v1",
  });
  assert.equal(ok.GATEWAY_MODE, "proxy");
});

Deno.test("CORS_ORIGINS is a comma-separated allow-list", () => {
  const config = loadConfig({ ...minimal, CORS_ORIGINS: "https://app.example, https://admin.example ," });
  assert.deepEqual(config.CORS_ORIGINS, ["https://app.example", "https://admin.example"]);
});
