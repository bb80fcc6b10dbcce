import { z } from "zod";
import { millis, optionalUrl, parseSubscribers, subscribers } from "./config-parsers.ts";

/** Who receives which events unless EVENT_SUBSCRIBERS says otherwise (tools that check delivery read it too). */
export const DEFAULT_EVENT_SUBSCRIBERS =
  "notifications=*;professionals=job.approved,escrow.released,review.created;" +
  "payments=refund.requested;chat-offers=job.paid,job.expired";

/**
 * Settings of events: the outbox relay that publishes them to QStash, and the receiving end's
 * signature keys. Part of the platform's settings (shared/config.ts): every function emits events.
 */
export const EVENT_SETTINGS = {
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
  /** How long one `POST /v2/batch` to QStash may take before its events count as failed. */
  RELAY_PUBLISH_TIMEOUT_MS: millis(10_000),
  /** Events one sweep claims, and the most one after-commit batch publishes. */
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /** The sweep redrives QStash's dead letters of our events at most this often (shared/dead-letters.ts). */
  RELAY_DEAD_LETTER_INTERVAL_MS: millis(300_000),
  /** Redrives of one event to one subscriber; past them its dead letter is kept for a human. */
  RELAY_DEAD_LETTER_MAX_REDRIVES: z.coerce.number().int().min(0).max(100).default(5),
};
