// refund.requested (emitted by escrow_solicitar_reembolso when a job is cancelled or a dispute is
// resolved with a refund) → MercadoPago's refunds API → escrow_completar_reembolso books the
// REEMBOLSO entry and emits refund.completed. Exactly once: the receiver's inbox row and the
// booking commit together, escrow_completar_reembolso is idempotent, and the MercadoPago call
// carries an idempotency key derived from the reembolso id, so a redelivery after a crash between
// MercadoPago's answer and our commit gets the same refund back instead of a second one.

import type { Db, Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { type EventHandlers, PermanentEventError } from "../../shared/event-receiver.ts";
import type { EventEnvelope } from "../../shared/events.ts";
import { trackEmittedEvents } from "../../shared/events.ts";
import { refundPayment } from "./mercadopago.ts";
import type { PaymentSettings } from "./settings.ts";

type Refund = { id: string; mp_payment_id: string; monto: string; estado: string; pago_monto: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The payments function's event handlers (subscribed in EVENT_SUBSCRIBERS: refund.requested). */
export function paymentEventHandlers(db: Db, settings: PaymentSettings): EventHandlers {
  return { "refund.requested": (tx, event) => carryOutRefund(tx, db, settings, event) };
}

async function carryOutRefund(tx: Tx, db: Db, settings: PaymentSettings, event: EventEnvelope) {
  const id = event.payload.reembolso_id;
  if (typeof id !== "string" || !UUID.test(id)) {
    throw new PermanentEventError("refund.requested sin reembolso_id válido");
  }
  // Not locked here: a failure is written by a separate transaction (this one rolls back).
  const [refund] = await tx<Refund[]>`
    select r.id, r.mp_payment_id, r.monto::text as monto, r.estado,
      (select p.monto::text from public.pagos p where p.mp_payment_id = r.mp_payment_id) as pago_monto
    from public.reembolsos r where r.id = ${id}`;
  if (!refund) throw new PermanentEventError(`Reembolso ${id} no encontrado`);
  if (refund.estado !== "PENDIENTE") return;

  let mpRefundId: string;
  if (refund.mp_payment_id.startsWith("SIM-")) {
    // A simulated payment (admin simular-pago) never reached MercadoPago: nothing to give back there.
    mpRefundId = `SIM-REFUND-${refund.id}`;
  } else {
    try {
      if (!settings.client) {
        throw new AppError("service_unavailable", "MercadoPago no está configurado");
      }
      const full = refund.pago_monto !== null && Number(refund.pago_monto) === Number(refund.monto);
      const done = await refundPayment(settings.client, {
        paymentId: refund.mp_payment_id,
        amount: full ? undefined : Number(refund.monto),
        idempotencyKey: `refund:${refund.id}`,
      });
      mpRefundId = done.id;
    } catch (error) {
      await recordFailure(db, refund.id, error);
      // MercadoPago refused the request itself (not refundable, bad amount): retrying is pointless.
      if (error instanceof AppError && (error.code === "bad_request" || error.code === "not_found")) {
        throw new PermanentEventError(`MercadoPago rechazó el reembolso ${refund.id}: ${error.detail}`);
      }
      throw error;
    }
  }
  const [booked] = await tx<{ completed: boolean; event_id: string | null }[]>`
    select * from public.escrow_completar_reembolso(${refund.id}::uuid, ${mpRefundId})`;
  if (booked.event_id) trackEmittedEvents(tx, [booked.event_id]);
}

async function recordFailure(db: Db, id: string, error: unknown) {
  const message = error instanceof AppError ? error.detail : String(error);
  const permanent = error instanceof AppError && (error.code === "bad_request" || error.code === "not_found");
  await db.asService((tx) =>
    tx`update public.reembolsos
      set intentos = intentos + 1, last_error = ${message.slice(0, 500)},
          estado = case when ${permanent} then 'FALLIDO' else estado end
      where id = ${id} and estado = 'PENDIENTE'`
  );
}
