// refund.requested (emitted by escrow_solicitar_reembolso when a job is cancelled or a dispute is
// resolved with a refund, and by pago_solicitar_devolucion when a payment arrives we cannot
// apply) → MercadoPago's refunds API → escrow_completar_reembolso books the REEMBOLSO entry (or
// pago_completar_devolucion closes the return) and emits refund.completed — only once MercadoPago
// says the money went back, all of it. Exactly once: the receiver's inbox row and the booking
// commit together, both functions are idempotent, and the MercadoPago call carries an idempotency
// key derived from the refund's id, so a redelivery after a crash between MercadoPago's answer and
// our commit gets the same refund back instead of a second one. No connection is held while
// MercadoPago answers (a handler of its own: `selfCommitting`), so its slowness cannot exhaust the
// pool.

import type { Db, Sql } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { claimEvent, type EventHandlers, PermanentEventError } from "../../shared/event-receiver.ts";
import type { EventEnvelope } from "../../shared/events.ts";
import { trackEmittedEvents } from "../../shared/events.ts";
import { cents } from "./cents.ts";
import { getRefund, type MercadoPagoRefund, refundPayment } from "./mercadopago.ts";
import type { PaymentSettings } from "./settings.ts";

/**
 * Where a refund is kept and how its confirmation is booked: a job's refund out of escrow
 * (`reembolsos`), or the return of a payment we could not apply (`devoluciones`), named by the
 * id its refund.requested carries.
 */
type RefundKind = { idKey: "reembolso_id" | "devolucion_id"; table: string; complete: string };
const REFUND_KINDS: readonly RefundKind[] = [
  { idKey: "reembolso_id", table: "public.reembolsos", complete: "public.escrow_completar_reembolso" },
  { idKey: "devolucion_id", table: "public.devoluciones", complete: "public.pago_completar_devolucion" },
];

type Refund = {
  id: string;
  mp_payment_id: string;
  monto: string;
  estado: string;
  mp_refund_id: string | null;
  pago_monto: string | null;
};

/** What MercadoPago's answer about our refund means for it. */
export type RefundVerdict =
  | { kind: "completed" }
  /** Not settled yet ("in_process" and the like): asked again at the next delivery. */
  | { kind: "pending"; reason: string }
  /** Never will be as requested: an operator looks at it (FALLIDO). */
  | { kind: "failed"; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REFUSED = new Set(["rejected", "cancelled"]);

/**
 * Booked only as MercadoPago's "approved" for exactly the amount we owe: a refund still in process
 * may yet be rejected, and a "full" refund returns only what is left of the payment (less, if part
 * was refunded on MercadoPago's side).
 *
 * @example
 * refundVerdict({ id: "1", paymentId: "2", amount: 1500, status: "approved" }, "2000.00");
 * // { kind: "failed", reason: "MercadoPago devolvió $ 1500.00 de $ 2000.00 …" }
 */
export function refundVerdict(answer: MercadoPagoRefund, owed: string): RefundVerdict {
  const status = answer.status ?? "sin estado";
  if (REFUSED.has(status)) return { kind: "failed", reason: `MercadoPago no hizo el reembolso (${status})` };
  if (status !== "approved") {
    return { kind: "pending", reason: `MercadoPago aún no confirmó el reembolso (${status})` };
  }
  if (cents(answer.amount) !== cents(owed)) {
    return {
      kind: "failed",
      reason:
        `MercadoPago devolvió $ ${money(answer.amount)} de $ ${money(owed)} (reembolso ${answer.id}): ` +
        "revisar el pago en MercadoPago",
    };
  }
  return { kind: "completed" };
}

/** The payments function's event handlers (subscribed in EVENT_SUBSCRIBERS: refund.requested). */
export function paymentEventHandlers(db: Db, settings: PaymentSettings): EventHandlers {
  return {
    "refund.requested": {
      selfCommitting: (sql, event, consumer) => carryOutRefund(db, sql, settings, event, consumer),
    },
  };
}

async function carryOutRefund(
  db: Db,
  sql: Sql,
  settings: PaymentSettings,
  event: EventEnvelope,
  consumer: string,
): Promise<{ fresh: boolean }> {
  const kind = REFUND_KINDS.find((k) => k.idKey in event.payload) ?? REFUND_KINDS[0];
  const id = event.payload[kind.idKey];
  if (typeof id !== "string" || !UUID.test(id)) {
    throw new PermanentEventError(`refund.requested sin ${kind.idKey} válido`);
  }
  const [refund] = await sql<Refund[]>`
    select r.id, r.mp_payment_id, r.monto::text as monto, r.estado, r.mp_refund_id,
      (select p.monto::text from public.pagos p where p.mp_payment_id = r.mp_payment_id) as pago_monto
    from ${sql(kind.table)} r where r.id = ${id}`;
  if (!refund) throw new PermanentEventError(`Reembolso ${id} no encontrado`);
  if (refund.estado !== "PENDIENTE") return { fresh: await claimEvent(sql, consumer, event) };

  const answer = await askMercadoPago(sql, settings, kind, refund);
  const verdict = refundVerdict(answer, refund.monto);
  if (verdict.kind !== "completed") {
    await recordAttempt(sql, kind, refund.id, verdict.reason, {
      failed: verdict.kind === "failed",
      mpRefundId: answer.id,
    });
    if (verdict.kind === "failed") throw new PermanentEventError(`Reembolso ${refund.id}: ${verdict.reason}`);
    // A 500 to QStash: it delivers again later, and that delivery asks MercadoPago about this refund.
    throw new AppError("service_unavailable", `Reembolso ${refund.id}: ${verdict.reason}`);
  }
  return await db.asService(async (tx) => {
    if (!(await claimEvent(tx, consumer, event))) return { fresh: false };
    const [booked] = await tx<{ event_id: string | null }[]>`
      select * from ${tx(kind.complete)}(${refund.id}::uuid, ${answer.id})`;
    if (booked.event_id) trackEmittedEvents(tx, [booked.event_id]);
    return { fresh: true };
  });
}

/**
 * The refund as MercadoPago has it: the one an earlier delivery was answered with (still in
 * process then), or a new one. A simulated payment (admin simular-pago) never reached MercadoPago:
 * nothing to give back there.
 */
async function askMercadoPago(
  sql: Sql,
  settings: PaymentSettings,
  kind: RefundKind,
  refund: Refund,
): Promise<MercadoPagoRefund> {
  if (refund.mp_payment_id.startsWith("SIM-")) {
    return {
      id: `SIM-REFUND-${refund.id}`,
      paymentId: refund.mp_payment_id,
      amount: Number(refund.monto),
      status: "approved",
    };
  }
  try {
    if (!settings.client) throw new AppError("service_unavailable", "MercadoPago no está configurado");
    if (refund.mp_refund_id) {
      return await getRefund(settings.client, {
        paymentId: refund.mp_payment_id,
        refundId: refund.mp_refund_id,
      });
    }
    const full = refund.pago_monto !== null && cents(refund.pago_monto) === cents(refund.monto);
    return await refundPayment(settings.client, {
      paymentId: refund.mp_payment_id,
      amount: full ? undefined : Number(refund.monto),
      idempotencyKey: `refund:${refund.id}`,
    });
  } catch (error) {
    // MercadoPago refused the request itself (not refundable, bad amount): retrying is pointless.
    const detail = error instanceof AppError ? error.detail : String(error);
    const refused = error instanceof AppError && (error.code === "bad_request" || error.code === "not_found");
    await recordAttempt(sql, kind, refund.id, detail, { failed: refused });
    if (refused) throw new PermanentEventError(`MercadoPago rechazó el reembolso ${refund.id}: ${detail}`);
    throw error;
  }
}

/** One more attempt, with what went wrong; FALLIDO when it never will work. */
async function recordAttempt(
  sql: Sql,
  kind: RefundKind,
  id: string,
  message: string,
  outcome: { failed: boolean; mpRefundId?: string },
) {
  await sql`update ${sql(kind.table)}
    set intentos = intentos + 1, last_error = ${message.slice(0, 500)},
        estado = case when ${outcome.failed} then 'FALLIDO' else estado end,
        mp_refund_id = coalesce(${outcome.mpRefundId ?? null}, mp_refund_id)
    where id = ${id} and estado = 'PENDIENTE'`;
}

function money(amount: number | string): string {
  return (cents(amount) / 100).toFixed(2);
}
