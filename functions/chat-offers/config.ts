import { z } from "zod";
import type { ConfigOf } from "../../shared/config.ts";
import type { Platform } from "../../shared/platform.ts";
import { CHECKOUT_SETTINGS } from "../../shared/config-checkout.ts";
import { serviceAccount } from "../../shared/config-parsers.ts";

/**
 * The chat-offers function's settings, added to the platform's (shared/config.ts): chat on Firestore
 * and its moderation, offers, jobs' timers, reviews, and the payment link it hands out.
 */
export const CHAT_OFFERS_SETTINGS = {
  ...CHECKOUT_SETTINGS,
  // --- chat ---
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
  // --- offers and jobs ---
  /** An offer nobody answered expires after this many days (unless it names its own fecha_expiracion). */
  OFFER_EXPIRY_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  // --- reviews ---
  /** A job may be reviewed until this many days after its approval (fecha_aprobacion). */
  REVIEW_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // --- jobs' timers and disputes (JOB_UNPAID_EXPIRY_HOURS is in shared/config-checkout.ts) ---
  /** A COMPLETADO job without an open dispute is approved (and released) this long after completion. */
  JOB_AUTO_APPROVE_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** Reminders (unpaid job, approval pending) go out this long before each deadline, once. */
  JOB_REMINDER_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  /** Rows each timer handles per sweep (the rest wait for the next one). */
  JOB_TIMERS_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
};

export type ChatOffersConfig = ConfigOf<typeof CHAT_OFFERS_SETTINGS>;
export type ChatOffersPlatform = Platform<ChatOffersConfig>;
