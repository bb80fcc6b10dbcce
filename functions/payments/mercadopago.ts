// The payments function's only door to MercadoPago: Checkout Pro preferences, payment reads and
// refunds through `mercadopago@3.6.1`, answers narrowed to the fields we act on. Failures arrive as
// AppError (see mercadopago-errors.ts); `service_unavailable` means "try again later".

import { z } from "zod";
import { AppError } from "../../shared/errors.ts";
import { type MercadoPagoClient, withSdk } from "./mercadopago-sdk.ts";

export type { MercadoPagoClient } from "./mercadopago-sdk.ts";

export type PreferenceInput = {
  title: string;
  description?: string;
  /** ARS, two decimals at most. */
  unitPrice: number;
  /** Our job id: how a payment finds its way back to us (webhook, back URLs, reconciliation). */
  externalReference: string;
  notificationUrl: string;
  backUrls: { success: string; failure: string; pending?: string };
  payerEmail?: string;
  expiresAt?: Date;
};
export type CreatedPreference = { id: string; initPoint: string; sandboxInitPoint: string | null };

export type MercadoPagoPayment = z.infer<typeof paymentSchema>;
export type MercadoPagoRefund = z.infer<typeof refundSchema>;

const id = z.union([z.number(), z.string()]).transform(String);
const paymentSchema = z.object({
  id,
  status: z.string(),
  status_detail: z.string().nullish(),
  external_reference: z.string().nullish(),
  transaction_amount: z.number(),
  transaction_amount_refunded: z.number().nullish(),
  currency_id: z.string().nullish(),
  date_created: z.string().nullish(),
  date_approved: z.string().nullish(),
  payment_method_id: z.string().nullish(),
  payment_type_id: z.string().nullish(),
}).transform((p) => ({
  id: p.id,
  status: p.status,
  statusDetail: p.status_detail ?? null,
  externalReference: p.external_reference ?? null,
  amount: p.transaction_amount,
  amountRefunded: p.transaction_amount_refunded ?? 0,
  currency: p.currency_id ?? null,
  dateCreated: p.date_created ?? null,
  dateApproved: p.date_approved ?? null,
  paymentMethodId: p.payment_method_id ?? null,
  paymentTypeId: p.payment_type_id ?? null,
}));
const refundSchema = z.object({ id, payment_id: id, amount: z.number(), status: z.string().nullish() })
  .transform((r) => ({ id: r.id, paymentId: r.payment_id, amount: r.amount, status: r.status ?? null }));
const preferenceSchema = z.object({
  id: z.string(),
  init_point: z.string(),
  sandbox_init_point: z.string().nullish(),
});

/**
 * Creates the Checkout Pro preference for one job. The same idempotency key with the same input
 * returns the same preference, so a retried accept does not open a second checkout.
 *
 * @example
 * const pref = await createPreference(client, {
 *   title: "Servicio Profesional", unitPrice: 15000, externalReference: jobId,
 *   notificationUrl, backUrls: { success, failure },
 * }, `preference:${jobId}`);
 * // redirect the buyer to pref.initPoint
 */
export async function createPreference(
  client: MercadoPagoClient,
  input: PreferenceInput,
  idempotencyKey: string,
): Promise<CreatedPreference> {
  const action = `crear la preferencia de pago para "${input.externalReference}"`;
  const body = {
    items: [{
      id: input.externalReference,
      title: input.title,
      description: input.description?.slice(0, 255),
      quantity: 1,
      currency_id: "ARS",
      unit_price: input.unitPrice,
    }],
    payer: input.payerEmail ? { email: input.payerEmail } : undefined,
    external_reference: input.externalReference,
    notification_url: input.notificationUrl,
    back_urls: input.backUrls,
    auto_return: "approved",
    statement_descriptor: "CONECTAR_PRO",
    expires: input.expiresAt !== undefined,
    expiration_date_to: input.expiresAt?.toISOString(),
    // Cash tickets (Rapipago, Pago Fácil) made before the deadline would otherwise stay payable
    // after it, for a job already cancelled as unpaid.
    date_of_expiration: input.expiresAt?.toISOString(),
  };
  const raw = await withSdk(
    client,
    action,
    (sdk, config) => new sdk.Preference(config).create({ body, requestOptions: { idempotencyKey } }),
  );
  const p = parse(preferenceSchema, raw, action);
  return { id: p.id, initPoint: p.init_point, sandboxInitPoint: p.sandbox_init_point ?? null };
}

/**
 * Reads one payment as MercadoPago has it now — what a webhook handler acts on, never the webhook.
 *
 * @example
 * const payment = await getPayment(client, dataId);
 * if (payment.status === "approved" && payment.externalReference === jobId) { ... }
 */
export async function getPayment(client: MercadoPagoClient, paymentId: string): Promise<MercadoPagoPayment> {
  const action = `consultar el pago "${paymentId}"`;
  const raw = await withSdk(client, action, (sdk, config) => new sdk.Payment(config).get({ id: paymentId }));
  return parse(paymentSchema, raw, action);
}

/**
 * Every payment for one external reference, oldest first — for reconciling jobs whose webhook
 * never arrived.
 *
 * @example
 * const payments = await searchPaymentsByReference(client, jobId);
 * const approved = payments.find((p) => p.status === "approved");
 */
export async function searchPaymentsByReference(
  client: MercadoPagoClient,
  externalReference: string,
): Promise<MercadoPagoPayment[]> {
  const action = `buscar los pagos de "${externalReference}"`;
  const pageSize = 100;
  const found: MercadoPagoPayment[] = [];
  // A job has a handful of attempts; the cap only guards against a runaway paging answer.
  for (let offset = 0; offset < 1000; offset += pageSize) {
    const page = await withSdk(client, action, (sdk, config) =>
      new sdk.Payment(config).search({
        options: {
          external_reference: externalReference,
          sort: "date_created",
          criteria: "asc",
          limit: pageSize,
          offset,
        },
      }));
    const results = page.results ?? [];
    found.push(...results.map((r) => parse(paymentSchema, r, action)));
    if (results.length < pageSize || found.length >= (page.paging?.total ?? 0)) break;
  }
  return found;
}

/**
 * Refunds a payment: all that remains when `amount` is omitted, else that amount. The idempotency
 * key makes a retried refund (same key, same amount) a no-op at MercadoPago.
 *
 * @example
 * await refundPayment(client, { paymentId, idempotencyKey: `refund:${jobId}` }); // full
 * await refundPayment(client, { paymentId, amount: 500, idempotencyKey: `refund:${jobId}:1` });
 */
export async function refundPayment(
  client: MercadoPagoClient,
  request: { paymentId: string; amount?: number; idempotencyKey: string },
): Promise<MercadoPagoRefund> {
  const action = `reembolsar el pago "${request.paymentId}"`;
  const raw = await withSdk(client, action, (sdk, config) =>
    new sdk.PaymentRefund(config).create({
      payment_id: request.paymentId,
      body: request.amount === undefined ? undefined : { amount: request.amount },
      requestOptions: { idempotencyKey: request.idempotencyKey },
    }));
  return parse(refundSchema, raw, action);
}

/**
 * One refund of a payment as MercadoPago has it now (a refund answered "in_process" settles later).
 *
 * @example
 * const { status } = await getRefund(client, { paymentId: "123", refundId: "456" });
 */
export async function getRefund(
  client: MercadoPagoClient,
  request: { paymentId: string; refundId: string },
): Promise<MercadoPagoRefund> {
  const action = `consultar el reembolso "${request.refundId}" del pago "${request.paymentId}"`;
  const raw = await withSdk(
    client,
    action,
    (sdk, config) =>
      new sdk.PaymentRefund(config).get({ payment_id: request.paymentId, refund_id: request.refundId }),
  );
  return parse(refundSchema, raw, action);
}

function parse<T>(schema: z.ZodType<T>, raw: unknown, action: string): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const error = new AppError("bad_gateway", `No se pudo ${action}: MercadoPago respondió algo inesperado`);
  error.cause = result.error;
  throw error;
}
