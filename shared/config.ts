import { z } from "zod";
import { csv, jsonObject, optionalUrl } from "./config-parsers.ts";
import { ACCOUNT_SETTINGS } from "./config-auth.ts";
import { EVENT_SETTINGS } from "./config-events.ts";
import { MARKETPLACE_SETTINGS } from "./config-marketplace.ts";
import { SERVICE_NAMES, type ServiceName } from "./function-names.ts";

// Re-exported: tools that check deliveries read the default subscribers with the config.
export { DEFAULT_EVENT_SUBSCRIBERS } from "./config-events.ts";

/**
 * Every setting of every function, parsed once at boot. This is the only file that reads the
 * environment: the rest of the code receives a frozen `Config`. The platform's settings are here;
 * accounts', events' and the marketplace's are in config-auth.ts, config-events.ts and
 * config-marketplace.ts.
 *
 * @example
 * const config = loadConfig({ DATABASE_URL: "postgres://...", JWT_PUBLIC_JWKS: "{...}" });
 * config.corsOrigins; // ["http://localhost:3000", ...]
 */
export type Config = Readonly<z.output<typeof configSchema>>;

const configSchema = z.object({
  ...ACCOUNT_SETTINGS,
  ...EVENT_SETTINGS,
  ...MARKETPLACE_SETTINGS,
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
  /**
   * Proxies in front of a function that append the caller's address to `x-forwarded-for`: 1 =
   * our gateway (local stack) or Supabase's edge (the gateway appends nothing there: the edge
   * runtime reports no peer). The client is that entry from the right; anything further left was
   * written by the client and is not trusted.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(5).default(1),
  /** Supabase project URL (Storage lives at `<url>/storage/v1`); Supabase injects it into functions. */
  SUPABASE_URL: z.url(),
  /** Service-role key for Storage (server side only; Supabase injects it into functions). */
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1),
  // --- http: request bodies (shared/body-limit.ts) ---
  /** Largest JSON or form body any route reads (413 beyond it); upload routes declare their own. */
  HTTP_BODY_MAX_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(256 * 1024),
  /** The gateway's ceiling for multipart bodies: the largest upload (KYC, 10 files of 10 MB) and its envelope. */
  HTTP_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(101 * 1024 * 1024),
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
/** PUBLIC_API_URL's default, which the e-mail page links derive from before the schema applies it. */
const DEFAULT_PUBLIC_API_URL = "http://localhost:8000";

export function loadConfig(env: Record<string, string | undefined>): Config {
  const publicApi = (env.PUBLIC_API_URL || DEFAULT_PUBLIC_API_URL).replace(/\/+$/, "");
  const input = {
    ...env,
    // The pages auth serves at the API's origin, unless a frontend serves its own.
    PASSWORD_RESET_URL_BASE: env.PASSWORD_RESET_URL_BASE || `${publicApi}/reset-password`,
    EMAIL_VERIFICATION_URL_BASE: env.EMAIL_VERIFICATION_URL_BASE || `${publicApi}/verify-email`,
    DATABASE_URL: env.DATABASE_URL || env.SUPABASE_DB_URL,
    // Supabase serves every function under <SUPABASE_URL>/functions/v1/<name>.
    FUNCTIONS_PUBLIC_URL: env.FUNCTIONS_PUBLIC_URL ||
      (env.SUPABASE_URL ? `${env.SUPABASE_URL.replace(/\/+$/, "")}/functions/v1` : undefined),
  };
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
