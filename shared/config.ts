import { z } from "zod";
import { csv, jsonObject } from "./config-parsers.ts";
import { EVENT_SETTINGS } from "./config-events.ts";
import { LOG_LEVELS } from "./log.ts";

// Re-exported: tools that check deliveries read the default subscribers with the config.
export { DEFAULT_EVENT_SUBSCRIBERS } from "./config-events.ts";

/**
 * The platform's settings: what every function needs to serve HTTP, reach Postgres and Redis,
 * verify tokens, use Storage, publish and receive events, and link to the API and the web app.
 * Each function adds its own settings (`functions/<fn>/config.ts`) and parses both at boot with
 * `loadConfig`; this module is the only place that reads the environment.
 */
export const PLATFORM_SETTINGS = {
  ...EVENT_SETTINGS,
  APP_VERSION: z.string().default("1.0.0"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
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
  /** Access-token lifetime; the existing frontend never refreshes, so it matches the original's 60. */
  JWT_ACCESS_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  UPSTASH_REDIS_REST_URL: z.url(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1),
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
  /** Largest JSON or form body any route reads (413 beyond it); upload routes declare their own. */
  HTTP_BODY_MAX_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(256 * 1024),
  // --- links the API hands out (e-mails, push, payment URLs) ---
  /** The web app, for links in notifications (e-mails and push) and payment back URLs. */
  FRONTEND_URL: z.url().default("http://localhost:3000"),
  /**
   * Where browsers reach this API (the gateway): links it hands out (payment_url, e-mail pages).
   * On Supabase `https://<ref>.supabase.co/functions/v1/gateway`.
   */
  PUBLIC_API_URL: z.url().default("http://localhost:8000"),
  /**
   * Where the reset e-mail's link points (`?token=` appended). Default: the page auth serves,
   * `${PUBLIC_API_URL}/reset-password` (see loadConfig); a frontend with its own page sets it.
   */
  PASSWORD_RESET_URL_BASE: z.url(),
  /** Where the verification e-mail's link points (`?token=` appended). Default `${PUBLIC_API_URL}/verify-email`. */
  EMAIL_VERIFICATION_URL_BASE: z.url(),
};

/** Settings a function adds to the platform's: a zod shape of environment variables. */
export type Settings = z.ZodRawShape;

/**
 * The parsed configuration of the platform plus `S`, frozen.
 *
 * @example
 * type UsersConfig = ConfigOf<typeof USERS_SETTINGS>;
 */
export type ConfigOf<S extends Settings> = PlatformConfig & Readonly<z.output<z.ZodObject<S>>>;

/** What every function's configuration has. */
export type PlatformConfig = Readonly<z.output<z.ZodObject<typeof PLATFORM_SETTINGS>>>;

/** A rule across variables, e.g. "proxy mode needs FUNCTIONS_BASE_URL": problems found, if any. */
export type ConfigCheck<S extends Settings> = (
  config: ConfigOf<S>,
) => { variable: string; message: string }[];

export class ConfigError extends Error {
  constructor(readonly variables: string[], message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** PUBLIC_API_URL's default, which the e-mail page links derive from before the schema applies it. */
const DEFAULT_PUBLIC_API_URL = "http://localhost:8000";

/**
 * Parses the platform's settings plus a function's own; throws a `ConfigError` naming every missing
 * or bad variable. Variables of other functions are ignored.
 *
 * @example
 * const config = loadConfig(Deno.env.toObject(), USERS_SETTINGS);
 * config.RATE_LIMIT_USER_DIRECTORY; // { limit: 30, windowMs: 60000 }
 */
export function loadConfig(env: Record<string, string | undefined>): PlatformConfig;
export function loadConfig<S extends Settings>(
  env: Record<string, string | undefined>,
  settings: S,
  check?: ConfigCheck<NoInfer<S>>,
): ConfigOf<S>;
export function loadConfig<S extends Settings>(
  env: Record<string, string | undefined>,
  settings?: S,
  check?: ConfigCheck<S>,
): ConfigOf<S> {
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
  const schema = z.object({ ...PLATFORM_SETTINGS, ...settings });
  // Parsed once per process: zod's compiled fast path (`new Function`) would cost more to build
  // than it could save.
  const parsed = schema.safeParse(input, { jitless: true });
  const problems = parsed.success
    ? (check?.(parsed.data as unknown as ConfigOf<S>) ?? [])
    : parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? "config"), message: i.message }));
  if (!parsed.success || problems.length) {
    const variables = problems.map((p) => p.variable);
    const text = problems.map((p) => `${p.variable}: ${p.message}`).join("; ");
    throw new ConfigError(variables, `Invalid configuration — ${text}`);
  }
  return Object.freeze(parsed.data) as unknown as ConfigOf<S>;
}
