// MercadoPago's payment notifications. A notification is only a hint: its signature proves it
// came from MercadoPago (the payment id is in the signed query string), then the payment is read
// from MercadoPago and recorded by the same code as reconciliation. Errors that a retry may cure
// (MercadoPago or our database unavailable) propagate, so MercadoPago redelivers.

import { AppError } from "../../shared/errors.ts";
import type { PaymentsPlatform } from "./config.ts";
import { recordPayment, type RecordResult } from "./apply-payment.ts";
import { getPayment } from "./mercadopago.ts";
import { type PaymentSettings, requireClient } from "./settings.ts";
import { verifyWebhookSignature } from "./webhook-signature.ts";

export type Notification = {
  xSignature: string | undefined;
  xRequestId: string | undefined;
  /** `data.id` of the query string (what MercadoPago signs). */
  dataId: string | undefined;
  /** `type` (or IPN `topic`) of the query string or body. */
  type: string | undefined;
};

export type NotificationResult = { message: string; result?: RecordResult };

/**
 * Verifies, fetches and records one notification. 401 (AppError) when the signature is missing
 * or wrong, or when no webhook secret is configured.
 *
 * @example
 * const { message } = await handleNotification(platform, settings, {
 *   xSignature: c.req.header("x-signature"), xRequestId: c.req.header("x-request-id"),
 *   dataId: c.req.query("data.id"), type: c.req.query("type"),
 * });
 */
export async function handleNotification(
  platform: PaymentsPlatform,
  settings: PaymentSettings,
  notification: Notification,
): Promise<NotificationResult> {
  if (!settings.webhookSecret) throw new AppError("unauthorized", "Firma de MercadoPago inválida");
  const check = await verifyWebhookSignature(notification, {
    secret: settings.webhookSecret,
    toleranceSeconds: settings.webhookToleranceSeconds,
    now: Date.now,
  });
  if (!check.ok) {
    platform.log.warn("mercadopago webhook refused", { reason: check.reason });
    throw new AppError("unauthorized", "Firma de MercadoPago inválida");
  }
  if (notification.type && notification.type !== "payment") {
    return { message: `Topic '${notification.type}' ignored` };
  }
  const client = requireClient(settings);
  let payment;
  try {
    payment = await getPayment(client, check.dataId);
  } catch (error) {
    // A signed id MercadoPago does not know: retrying would not help.
    if (error instanceof AppError && error.code === "not_found") return { message: "Payment not found" };
    throw error;
  }
  const result = await platform.db.asService((tx) => recordPayment(tx, payment, "webhook"));
  platform.log.info("mercadopago payment", {
    mp_payment_id: payment.id,
    status: payment.status,
    trabajo_id: result.trabajoId,
    outcome: result.outcome,
    anomalia: result.anomalia,
  });
  return {
    message: result.outcome === "duplicate" ? "Already processed" : `Payment status: ${payment.status}`,
    result,
  };
}
