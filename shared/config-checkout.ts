import { z } from "zod";

/**
 * Settings both chat-offers (which hands out the payment link with every job) and payments (which
 * serves the checkout behind it) read: the signed link's key and lifetime, and how long a job may
 * stay unpaid. Each of the two adds them to its own settings.
 */
export const CHECKOUT_SETTINGS = {
  /** HMAC key of signed links (shared/signed-link.ts); without it checkout answers 503. ≥ 32 chars. */
  CHECKOUT_LINK_SECRET: z.string().min(32).optional(),
  /** Lifetime of a signed checkout link (a fresh one comes with every job read). */
  CHECKOUT_LINK_TTL_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(24 * 60),
  /** An unpaid job is cancelled after this (jobs' timer); the checkout preference expires with it. */
  JOB_UNPAID_EXPIRY_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(48),
};
