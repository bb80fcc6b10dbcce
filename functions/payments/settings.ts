import type { PaymentsConfig } from "./config.ts";
import { AppError } from "../../shared/errors.ts";
import type { MercadoPagoClient } from "./mercadopago.ts";

/** What the payments function derives from configuration (defaults that depend on other settings). */
export type PaymentSettings = {
  /** Null when MercadoPago is not configured: checkout answers 503, refunds are retried later. */
  client: MercadoPagoClient | null;
  webhookSecret: string | null;
  webhookToleranceSeconds: number;
  notificationUrl: string;
  backUrls: { success: string; failure: string; pending: string };
  /** The preference expires with the unpaid-job timer. */
  unpaidExpiryMs: number;
  checkoutLinkSecret: string | null;
  reconcile: {
    minAgeSeconds: number;
    batchSize: number;
    lateHours: number;
    ledgerMinAgeSeconds: number;
    ledgerRecheckHours: number;
  };
};

export function paymentSettings(config: PaymentsConfig): PaymentSettings {
  const frontend = config.FRONTEND_URL.replace(/\/+$/, "");
  const api = config.PUBLIC_API_URL.replace(/\/+$/, "");
  return {
    client: config.MERCADOPAGO_ACCESS_TOKEN
      ? {
        accessToken: config.MERCADOPAGO_ACCESS_TOKEN,
        baseUrl: config.MERCADOPAGO_BASE_URL,
        timeoutMs: config.MERCADOPAGO_TIMEOUT_MS,
      }
      : null,
    webhookSecret: config.MERCADOPAGO_WEBHOOK_SECRET ?? null,
    webhookToleranceSeconds: config.MERCADOPAGO_WEBHOOK_TOLERANCE_SECONDS,
    notificationUrl: config.MERCADOPAGO_NOTIFICATION_URL ?? `${api}/webhook/mercadopago`,
    backUrls: {
      success: config.PAYMENT_SUCCESS_URL ?? `${frontend}/payment/success`,
      failure: config.PAYMENT_FAILURE_URL ?? `${frontend}/payment/failure`,
      pending: config.PAYMENT_PENDING_URL ?? `${frontend}/payment/pending`,
    },
    unpaidExpiryMs: config.JOB_UNPAID_EXPIRY_HOURS * 3_600_000,
    checkoutLinkSecret: config.CHECKOUT_LINK_SECRET ?? null,
    reconcile: {
      minAgeSeconds: config.PAYMENTS_RECONCILE_MIN_AGE_SECONDS,
      batchSize: config.PAYMENTS_RECONCILE_BATCH_SIZE,
      lateHours: config.PAYMENTS_RECONCILE_LATE_HOURS,
      ledgerMinAgeSeconds: config.PAYMENTS_LEDGER_CHECK_MIN_AGE_SECONDS,
      ledgerRecheckHours: config.PAYMENTS_LEDGER_RECHECK_HOURS,
    },
  };
}

/** The MercadoPago client, or 503: without credentials nothing can be charged, but nothing is lost. */
export function requireClient(settings: PaymentSettings): MercadoPagoClient {
  if (!settings.client) {
    throw new AppError("service_unavailable", "Los pagos no están disponibles en este momento");
  }
  return settings.client;
}
