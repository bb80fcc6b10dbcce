import { z } from "zod";
import { optionalUrl, serviceAccount } from "./config-parsers.ts";

/**
 * Settings of the marketplace: search and KYC, chat, offers, jobs and their timers, reviews, payments
 * and payouts. One part of the single schema `shared/config.ts` parses at boot (the only place that
 * reads the environment).
 *
 * @example
 * const configSchema = z.object({ ...MARKETPLACE_SETTINGS, APP_VERSION: z.string() });
 */
export const MARKETPLACE_SETTINGS = {
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
};
