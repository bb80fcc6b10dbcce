import { z } from "zod";
import type { ConfigOf } from "../../shared/config.ts";
import type { Platform } from "../../shared/platform.ts";
import { CHECKOUT_SETTINGS } from "../../shared/config-checkout.ts";
import { optionalUrl } from "../../shared/config-parsers.ts";

/**
 * The payments function's settings, added to the platform's (shared/config.ts): MercadoPago Checkout
 * Pro, its webhook and reconciliation, and professionals' withdrawals.
 */
export const PAYMENTS_SETTINGS = {
  ...CHECKOUT_SETTINGS,
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
  /** Reconciliation re-reads jobs left unpaid whose preference is at least this old (lost webhooks). */
  PAYMENTS_RECONCILE_MIN_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Jobs re-read per reconciliation run (least recently re-read first). */
  PAYMENTS_RECONCILE_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  /** Jobs cancelled before payment, and jobs paid, are re-read this long after (a late payment is returned). */
  PAYMENTS_RECONCILE_LATE_HOURS: z.coerce.number().int().min(0).max(24 * 90).default(168),
  /** The ledger-vs-MercadoPago report compares applied payments at least this old (settled)… */
  PAYMENTS_LEDGER_CHECK_MIN_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /** …and each one again after this many hours. */
  PAYMENTS_LEDGER_RECHECK_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  // --- payments: professionals' withdrawals (payouts) ---
  /** Smallest withdrawal a professional may request, in ARS (the frontend's own rule is 1000). */
  PAYOUT_MIN_AMOUNT: z.coerce.number().min(0).max(10_000_000).default(1000),
};

export type PaymentsConfig = ConfigOf<typeof PAYMENTS_SETTINGS>;
export type PaymentsPlatform = Platform<PaymentsConfig>;
