import { z } from "zod";
import {
  csv,
  jsonObject,
  millis,
  optionalUrl,
  parseRateLimit,
  parseSubscribers,
  rateLimit,
  serviceAccount,
  subscribers,
} from "./config-parsers.ts";
import { SERVICE_NAMES, type ServiceName } from "./function-names.ts";

/** Who receives which events unless EVENT_SUBSCRIBERS says otherwise (tools that check delivery read it too). */
export const DEFAULT_EVENT_SUBSCRIBERS =
  "notifications=*;professionals=job.approved,escrow.released,review.created;" +
  "payments=refund.requested;chat-offers=job.paid,job.expired";

/**
 * Every setting of every function, parsed once at boot. This is the only file that reads the
 * environment: the rest of the code receives a frozen `Config`.
 *
 * @example
 * const config = loadConfig({ DATABASE_URL: "postgres://...", JWT_PUBLIC_JWKS: "{...}" });
 * config.corsOrigins; // ["http://localhost:3000", ...]
 */
export type Config = Readonly<z.output<typeof configSchema>>;

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
  // --- events: outbox relay → QStash → `POST /<fn>/events` (shared/relay.ts, shared/event-receiver.ts) ---
  /** QStash API base (never set QSTASH_DEV: the SDK would silently ignore this URL). */
  QSTASH_URL: z.url().default("https://qstash.upstash.io"),
  /** Publishing token; without it events stay in the outbox (failed, retried) until it is set. */
  QSTASH_TOKEN: z.string().min(1).optional(),
  /** Signing keys subscribers verify `Upstash-Signature` with; without both every delivery is 401. */
  QSTASH_CURRENT_SIGNING_KEY: z.string().min(1).optional(),
  QSTASH_NEXT_SIGNING_KEY: z.string().min(1).optional(),
  /** Public base URL of the functions (`https://<ref>.supabase.co/functions/v1`); defaults from SUPABASE_URL. */
  FUNCTIONS_PUBLIC_URL: optionalUrl,
  /** Event types each subscribing function receives (see parseSubscribers). */
  EVENT_SUBSCRIBERS: subscribers.default(parseSubscribers(DEFAULT_EVENT_SUBSCRIBERS)),
  /** Bearer secret of `POST /notifications/events/sweep` (a QStash-signed call is accepted too). */
  RELAY_SWEEP_SECRET: z.string().min(16).optional(),
  /** A pending row younger than this is left to the after-commit publish; older ones are swept. */
  RELAY_PENDING_GRACE_MS: millis(10_000),
  /** A row claimed (in_progress) longer than this is presumed abandoned (crash) and retried. */
  RELAY_LEASE_MS: millis(60_000),
  /** Retry delay after a failed publish: base · 2^(attempts−1), capped at the max. */
  RELAY_BACKOFF_BASE_MS: millis(5_000),
  RELAY_BACKOFF_MAX_MS: millis(900_000),
  RELAY_PUBLISH_TIMEOUT_MS: millis(10_000),
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  // --- push (FCM HTTP v1) and e-mail (Resend's API) ---
  FCM_BASE_URL: z.url().default("https://fcm.googleapis.com"),
  GOOGLE_OAUTH_TOKEN_URL: z.url().default("https://oauth2.googleapis.com/token"),
  /** Service-account key (JSON) allowed to send FCM messages; without it push is skipped. */
  FCM_SERVICE_ACCOUNT: serviceAccount.optional(),
  EMAIL_API_URL: z.url().default("https://api.resend.com"),
  /** Without it e-mails stay queued (failed, retried) until it is set. */
  EMAIL_API_KEY: z.string().min(1).optional(),
  EMAIL_FROM: z.string().min(3).default("ConectarProfesionales <no-reply@conectarprofesionales.com>"),
  /** The web app, for links in notifications (e-mails and push). */
  FRONTEND_URL: z.url().default("http://localhost:3000"),
  /**
   * Where browsers reach this API (the gateway): links it hands out (payment_url, e-mail pages).
   * On Supabase `https://<ref>.supabase.co/functions/v1/gateway`.
   */
  PUBLIC_API_URL: z.url().default("http://localhost:8000"),
  // --- marketplace links: the checkout URL a browser opens without a token ---
  /** HMAC key of signed links (shared/signed-link.ts); without it checkout answers 503. ≥ 32 chars. */
  CHECKOUT_LINK_SECRET: z.string().min(32).optional(),
  /** Lifetime of a signed checkout link (a fresh one comes with every job read). */
  CHECKOUT_LINK_TTL_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(24 * 60),
  // --- professionals: search and KYC ---
  /** Largest page either search flavour returns (larger `limit`s are capped to it). */
  SEARCH_MAX_LIMIT: z.coerce.number().int().min(1).max(1000).default(100),
  /** `POST /search` page size when the request sends no `limit`. */
  SEARCH_DEFAULT_LIMIT: z.coerce.number().int().min(1).max(1000).default(20),
  /** `POST /search` counts matches up to this many (`total_exacto: false` beyond it). */
  SEARCH_COUNT_CAP: z.coerce.number().int().min(10).max(1_000_000).default(1000),
  /** Lifetime of the signed URLs admins get for KYC documents. */
  KYC_SIGNED_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
  // --- chat (chat-offers) ---
  /** Service-account key (JSON) for Firestore, where messages live; without it chat routes answer 503. */
  FIREBASE_SERVICE_ACCOUNT: serviceAccount.optional(),
  /** `host:port` of a local Firestore REST stand-in or emulator (plain http); unset in production. */
  FIRESTORE_HOST: z.string().regex(/^[^\s/:]+:\d{1,5}$/, "must be host:port").optional(),
  /** Deadline of every Firestore call; past it the request answers 503. */
  FIRESTORE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** `X-API-Key` of `POST /webhook/chat/infraction`; without it the webhook answers 401 to everyone. */
  CHAT_WEBHOOK_API_KEY: z.string().min(16).optional(),
  /** Strikes that ban a user from chat (`is_chat_banned`). */
  CHAT_MAX_INFRACTIONS: z.coerce.number().int().min(1).max(100).default(3),
  /** At most one `chat.message_sent` per recipient and chat in this window (one notification per burst). */
  CHAT_NOTIFY_DEBOUNCE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(120),
  // --- offers and jobs (chat-offers) ---
  /** An offer nobody answered expires after this many days (unless it names its own fecha_expiracion). */
  OFFER_EXPIRY_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  // --- reviews (chat-offers) ---
  /** A job may be reviewed until this many days after its approval (fecha_aprobacion). */
  REVIEW_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // --- jobs' timers and disputes (chat-offers; JOB_UNPAID_EXPIRY_HOURS is in the payments block) ---
  /** A COMPLETADO job without an open dispute is approved (and released) this long after completion. */
  JOB_AUTO_APPROVE_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** Reminders (unpaid job, approval pending) go out this long before each deadline, once. */
  JOB_REMINDER_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  /** Rows each timer handles per sweep (the rest wait for the next one). */
  JOB_TIMERS_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  // --- payments: MercadoPago Checkout Pro, webhook, reconciliation ---
  /** Without it checkout answers 503 (the job stays payable) and refunds wait (retried). */
  MERCADOPAGO_ACCESS_TOKEN: z.string().min(1).optional(),
  /** Key of the webhook's `x-signature`; without it every notification answers 401. */
  MERCADOPAGO_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** MercadoPago's API (a local stand-in's URL in the stack). */
  MERCADOPAGO_BASE_URL: z.url().default("https://api.mercadopago.com"),
  /** Deadline of one MercadoPago call; MercadoPago waits ~22 s for our webhook answer. */
  MERCADOPAGO_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8_000),
  /** Largest accepted distance between a webhook's signed `ts` and now. */
  MERCADOPAGO_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** Where MercadoPago notifies payments; default `<PUBLIC_API_URL>/webhook/mercadopago`. */
  MERCADOPAGO_NOTIFICATION_URL: optionalUrl,
  /** Back URLs after paying; default `<FRONTEND_URL>/payment/success` (…/failure, …/pending). */
  PAYMENT_SUCCESS_URL: optionalUrl,
  PAYMENT_FAILURE_URL: optionalUrl,
  PAYMENT_PENDING_URL: optionalUrl,
  /** An unpaid job is cancelled after this (jobs' timer); the checkout preference expires with it. */
  JOB_UNPAID_EXPIRY_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(48),
  /** Reconciliation re-reads jobs left unpaid whose preference is at least this old (lost webhooks). */
  PAYMENTS_RECONCILE_MIN_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Jobs re-read per reconciliation run (oldest preference first). */
  PAYMENTS_RECONCILE_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  /** The ledger-vs-MercadoPago report compares applied payments at least this old (settled)… */
  PAYMENTS_LEDGER_CHECK_MIN_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /** …and each one again after this many hours. */
  PAYMENTS_LEDGER_RECHECK_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  // --- payments: professionals' withdrawals (payouts) ---
  /** Smallest withdrawal a professional may request, in ARS (the frontend's own rule is 1000). */
  PAYOUT_MIN_AMOUNT: z.coerce.number().min(0).max(10_000_000).default(1000),
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
