// In-memory state of the MercadoPago stand-in and the rules MercadoPago applies to it: preference
// and payment shapes as the REST API returns them, refund arithmetic in cents (amounts are
// decimals on the wire; float sums would drift), and X-Idempotency-Key replay.

export type Json = Record<string, unknown>;
export type Preference = Json & { id: string; items: Json[]; external_reference?: string };
export type Payment = Json & {
  id: number;
  status: string;
  status_detail: string;
  transaction_amount: number;
  transaction_amount_refunded: number;
  refunds: Refund[];
};
export type Refund = Json & { id: number; payment_id: number; amount: number };
export type Delivery = {
  notification_id: number;
  payment_id: number;
  url: string;
  attempt: number;
  request_id: string;
  status: number | null;
  error?: string;
  at: string;
};

/** MercadoPago's collector (seller) id for the stand-in's account. */
export const COLLECTOR_ID = 202809963;

export class MercadoPagoStore {
  preferences = new Map<string, Preference>();
  payments = new Map<number, Payment>();
  deliveries: Delivery[] = [];
  /** `<scope>:<key>` → the request body first seen and the answer given to it. */
  idempotency = new Map<string, { body: string; status: number; response: unknown }>();
  /**
   * The status refunds are created with. MercadoPago answers most at once with "approved"; some
   * payment methods first answer "in_process" (settled later: `settleRefund`), and a refund can
   * be "rejected".
   */
  refundStatus: "approved" | "in_process" | "rejected" = "approved";
  // Time-based so ids stay unique across restarts of the dev stack (the database outlives it).
  #nextId = Date.now();

  nextId(): number {
    return ++this.#nextId;
  }

  reset(): void {
    this.refundStatus = "approved";
    this.preferences.clear();
    this.payments.clear();
    this.deliveries = [];
    this.idempotency.clear();
  }

  createPreference(body: Json, baseUrl: string): Preference {
    const id = `${COLLECTOR_ID}-${crypto.randomUUID()}`;
    const items = Array.isArray(body.items) ? (body.items as Json[]) : [];
    const checkout = `${baseUrl}/checkout/v1/redirect?pref_id=${encodeURIComponent(id)}`;
    const preference: Preference = {
      additional_info: "",
      auto_return: "",
      back_urls: { failure: "", pending: "", success: "" },
      binary_mode: false,
      client_id: "6295877106812064",
      collector_id: COLLECTOR_ID,
      date_of_expiration: null,
      expiration_date_from: null,
      expiration_date_to: null,
      expires: false,
      external_reference: "",
      marketplace: "NONE",
      marketplace_fee: 0,
      metadata: {},
      notification_url: null,
      operation_type: "regular_payment",
      payer: { email: "", name: "", surname: "" },
      site_id: "MLA",
      statement_descriptor: null,
      ...body,
      items: items.map((item) => ({ currency_id: "ARS", quantity: 1, ...item })),
      id,
      date_created: new Date().toISOString(),
      init_point: checkout,
      sandbox_init_point: checkout,
    };
    this.preferences.set(id, preference);
    return preference;
  }

  createPayment(fields: Json & { status?: string }): Payment {
    const now = new Date().toISOString();
    const status = fields.status ?? "approved";
    const amount = Number(fields.transaction_amount ?? 0);
    const payment = {
      date_created: now,
      date_approved: status === "approved" ? now : null,
      date_last_updated: now,
      money_release_date: status === "approved" ? now : null,
      operation_type: "regular_payment",
      payment_method_id: "account_money",
      payment_type_id: "account_money",
      status,
      status_detail: DETAIL_BY_STATUS[status] ?? status,
      currency_id: "ARS",
      description: null,
      live_mode: false,
      collector_id: COLLECTOR_ID,
      payer: { id: "1234567890", email: "test_user_comprador@testuser.com", type: null },
      metadata: {},
      external_reference: null,
      transaction_details: { net_received_amount: amount, total_paid_amount: amount },
      fee_details: [],
      captured: true,
      ...fields,
      id: this.nextId(),
      transaction_amount: amount,
      transaction_amount_refunded: 0,
      refunds: [],
    } as Payment;
    this.payments.set(payment.id, payment);
    return payment;
  }

  /** A refund as MercadoPago applies it, or the message of the 400 it answers. */
  refund(payment: Payment, amount: number | undefined): Refund | string {
    if (payment.status !== "approved") {
      return `Payment ${payment.id} cannot be refunded: it is ${payment.status}`;
    }
    const inProcess = payment.refunds.filter((r) => r.status === "in_process")
      .reduce((sum, r) => sum + cents(r.amount), 0);
    const remaining = cents(payment.transaction_amount) - cents(payment.transaction_amount_refunded) -
      inProcess;
    const wanted = amount === undefined ? remaining : cents(amount);
    if (!Number.isFinite(wanted) || wanted <= 0 || wanted > remaining) {
      return "Invalid refund amount";
    }
    const refund: Refund = {
      id: this.nextId(),
      payment_id: payment.id,
      amount: wanted / 100,
      amount_refunded_to_payer: wanted / 100,
      metadata: {},
      source: { id: String(COLLECTOR_ID), name: "Vendedor", type: "collector" },
      date_created: new Date().toISOString(),
      unique_sequence_number: null,
      refund_mode: "standard",
      adjustment_amount: 0,
      status: this.refundStatus,
      reason: null,
      labels: [],
      partition_details: [],
    };
    payment.refunds.push(refund);
    if (refund.status === "approved") this.#returnToPayer(payment, wanted, refund.date_created as string);
    return refund;
  }

  /** An "in_process" refund becomes "approved" (the money goes back) or "rejected". */
  settleRefund(refundId: number, status: "approved" | "rejected"): Refund | string {
    for (const payment of this.payments.values()) {
      const refund = payment.refunds.find((r) => r.id === refundId);
      if (!refund) continue;
      if (refund.status !== "in_process") return `Refund ${refundId} is ${refund.status}`;
      refund.status = status;
      if (status === "approved") this.#returnToPayer(payment, cents(refund.amount), new Date().toISOString());
      return refund;
    }
    return `Refund ${refundId} not found`;
  }

  #returnToPayer(payment: Payment, amountCents: number, at: string): void {
    const refunded = cents(payment.transaction_amount_refunded) + amountCents;
    payment.transaction_amount_refunded = refunded / 100;
    payment.date_last_updated = at;
    if (refunded === cents(payment.transaction_amount)) {
      payment.status = "refunded";
      payment.status_detail = "refunded";
    } else {
      payment.status_detail = "partially_refunded";
    }
  }

  search(params: URLSearchParams): Json {
    const limit = Math.min(Number(params.get("limit") ?? 30) || 30, 1000);
    const offset = Number(params.get("offset") ?? 0) || 0;
    const filters = ["external_reference", "status", "id"].flatMap((key) => {
      const value = params.get(key);
      return value === null ? [] : [[key, value] as const];
    });
    const matches = [...this.payments.values()]
      .filter((p) => filters.every(([key, value]) => String(p[key]) === value))
      .sort((a, b) => String(a.date_created).localeCompare(String(b.date_created)) || a.id - b.id);
    if (params.get("criteria") === "desc") matches.reverse();
    return {
      paging: { total: matches.length, limit, offset },
      results: matches.slice(offset, offset + limit),
    };
  }
}

/** Sum of the items as the checkout charges it. */
export function preferenceTotal(preference: Preference): number {
  const total = preference.items.reduce(
    (sum, item) => sum + cents(Number(item.unit_price ?? 0)) * Number(item.quantity ?? 1),
    0,
  );
  return total / 100;
}

function cents(amount: number): number {
  return Math.round(amount * 100);
}

const DETAIL_BY_STATUS: Record<string, string> = {
  approved: "accredited",
  rejected: "cc_rejected_other_reason",
  pending: "pending_waiting_payment",
  in_process: "pending_contingency",
  cancelled: "expired",
};
