import { z } from "zod";

/**
 * Every setting of every function, parsed once at boot. This is the only file that reads the
 * environment: the rest of the code receives a frozen `Config`.
 *
 * @example
 * const config = loadConfig({ DATABASE_URL: "postgres://...", JWT_PUBLIC_JWKS: "{...}" });
 * config.corsOrigins; // ["http://localhost:3000", ...]
 */
export type Config = Readonly<z.output<typeof configSchema>>;

export const FUNCTION_NAMES = [
  "gateway",
  "auth",
  "users",
  "professionals",
  "chat-offers",
  "payments",
  "notifications",
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];
export type ServiceName = Exclude<FunctionName, "gateway">;
export const SERVICE_NAMES = FUNCTION_NAMES.filter((n): n is ServiceName => n !== "gateway");

const csv = z.string().transform((s) => s.split(",").map((v) => v.trim()).filter(Boolean));
const jsonObject = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as Record<string, unknown>;
  } catch {
    ctx.addIssue({ code: "custom", message: "must be JSON" });
    return z.NEVER;
  }
});
const optionalUrl = z.url().optional();

const configSchema = z.object({
  APP_VERSION: z.string().default("1.0.0"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  // Supabase injects SUPABASE_DB_URL into every function; DATABASE_URL wins when both are set.
  DATABASE_URL: z.url(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(50).default(5),
  CORS_ORIGINS: csv.default([
    "http://localhost:3000",
    "http://127.0.0.1:3000",
    "http://localhost:3001",
  ]),
  JWT_ISSUER: z.string().min(1).default("conectar-profesionales"),
  JWT_AUDIENCE: z.string().min(1).default("authenticated"),
  /** Public keys every function verifies access tokens with (a JWKS document, JSON). */
  JWT_PUBLIC_JWKS: jsonObject,
  /** Private signing key (a JWK with `kid`, JSON); only the auth function needs it. */
  JWT_PRIVATE_JWK: jsonObject.optional(),
  UPSTASH_REDIS_REST_URL: z.url(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1),
  GATEWAY_MODE: z.enum(["inline", "proxy"]).default("inline"),
  /** Proxy mode: where functions live, e.g. `https://<ref>.supabase.co/functions/v1`. */
  FUNCTIONS_BASE_URL: optionalUrl,
  AUTH_SERVICE_URL: optionalUrl,
  USERS_SERVICE_URL: optionalUrl,
  PROFESSIONALS_SERVICE_URL: optionalUrl,
  CHAT_OFFERS_SERVICE_URL: optionalUrl,
  PAYMENTS_SERVICE_URL: optionalUrl,
  NOTIFICATIONS_SERVICE_URL: optionalUrl,
  GATEWAY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
}).superRefine((c, ctx) => {
  if (c.GATEWAY_MODE !== "proxy" || c.FUNCTIONS_BASE_URL) return;
  const missing = SERVICE_NAMES.map(serviceUrlVariable).filter((v) => !c[v]);
  if (missing.length) {
    ctx.addIssue({
      code: "custom",
      path: ["FUNCTIONS_BASE_URL"],
      message: `proxy mode needs FUNCTIONS_BASE_URL or ${missing.join(", ")}`,
    });
  }
});

type ServiceUrlVariable =
  | "AUTH_SERVICE_URL"
  | "USERS_SERVICE_URL"
  | "PROFESSIONALS_SERVICE_URL"
  | "CHAT_OFFERS_SERVICE_URL"
  | "PAYMENTS_SERVICE_URL"
  | "NOTIFICATIONS_SERVICE_URL";

/** `chat-offers` → `CHAT_OFFERS_SERVICE_URL`. */
export function serviceUrlVariable(service: ServiceName): ServiceUrlVariable {
  return `${service.toUpperCase().replace("-", "_")}_SERVICE_URL` as ServiceUrlVariable;
}

export class ConfigError extends Error {
  constructor(readonly variables: string[], message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parses the given variables; throws a `ConfigError` naming every missing or bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const input = { ...env, DATABASE_URL: env.DATABASE_URL || env.SUPABASE_DB_URL };
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`);
    const variables = parsed.error.issues.map((i) => String(i.path[0] ?? "config"));
    throw new ConfigError(variables, `Invalid configuration — ${problems.join("; ")}`);
  }
  return Object.freeze(parsed.data);
}

/** Boot-time entry for `functions/<name>/index.ts`: the process environment, parsed. */
export function loadConfigFromEnv(): Config {
  return loadConfig(Deno.env.toObject());
}
