// The one way a MercadoPago payment (as MercadoPago reports it now) reaches our books: webhook,
// reconciliation and the admin's simulation all call `recordPayment` inside one transaction.
// Idempotent per (payment id, status): the `pagos` upsert only returns a row when the status is
// new and not behind the one recorded (an older snapshot written late changes nothing), and it
// waits for a concurrent writer of the same payment — 20 identical notifications, in sequence or
// at once, apply one payment and book one COBRO.

import type postgres from "postgres";
import type { Tx } from "../../shared/db.ts";
import { emitEvent, trackEmittedEvents } from "../../shared/events.ts";
import type { MercadoPagoPayment } from "./mercadopago.ts";
import { cents } from "./cents.ts";

export type PaymentSource = "webhook" | "conciliacion" | "simulacion";

export type PaymentOutcome =
  /** Approved with the job's amount: the job is PAGADO and the escrow holds the money. */
  | "applied"
  /** This payment was already known with this status: nothing done. */
  | "duplicate"
  /** A new status that needs no money movement (rejected, pending, our own refund). */
  | "recorded"
  /** Something an admin must look at (pago_anomalias); never applied. */
  | "anomaly";

export type RecordResult = { outcome: PaymentOutcome; trabajoId: string | null; anomalia?: AnomalyKind };

export type AnomalyKind =
  | "MONTO_DISTINTO"
  | "REFERENCIA_DESCONOCIDA"
  | "PAGO_TARDIO"
  | "REEMBOLSO_EXTERNO"
  | "CONTRACARGO";

type Job = {
  id: string;
  precio_final: string;
  estado: string;
  cliente_id: string;
  profesional_id: string;
  /** The payment the job holds (set when it was paid). */
  mercadopago_payment_id: string | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Records what MercadoPago says about one payment and acts on it. Call inside `db.asService`;
 * everything it does (job PAGADO, COBRO entry, events, anomaly) commits or rolls back together.
 *
 * @example
 * const payment = await getPayment(client, dataId);
 * const result = await db.asService((tx) => recordPayment(tx, payment, "webhook"));
 */
export async function recordPayment(
  tx: Tx,
  payment: MercadoPagoPayment,
  source: PaymentSource,
): Promise<RecordResult> {
  const job = await findJob(tx, payment.externalReference);
  const [row] = await tx<{ id: string }[]>`
    insert into public.pagos as p (mp_payment_id, trabajo_id, external_reference, status, status_detail,
      monto, moneda, fecha_aprobacion)
    values (${payment.id}, ${job?.id ?? null}, ${payment.externalReference}, ${payment.status},
      ${payment.statusDetail}, ${payment.amount}, ${payment.currency ?? "ARS"}, ${payment.dateApproved})
    on conflict (mp_payment_id) do update
      set status = excluded.status, status_detail = excluded.status_detail, monto = excluded.monto,
          fecha_aprobacion = coalesce(p.fecha_aprobacion, excluded.fecha_aprobacion), updated_at = now()
      where p.status is distinct from excluded.status
        -- Never backwards: a snapshot read before a newer one but written after it (reconciliation
        -- racing a webhook) must not undo it, e.g. re-approve a payment already refunded.
        and ${statusStage(tx, tx`excluded.status`)} >= ${statusStage(tx, tx`p.status`)}
    returning p.id`;
  const trabajoId = job?.id ?? null;
  if (!row) return { outcome: "duplicate", trabajoId };

  const detail = { status: payment.status, monto: payment.amount, origen: source };
  switch (payment.status) {
    case "approved":
      return await applyApproved(tx, payment, job, row.id, source);
    case "refunded":
    case "charged_back": {
      if (!job) return await anomaly(tx, "REFERENCIA_DESCONOCIDA", payment, null, detail);
      // Our own refund of the whole payment is expected, a job's or the return of a payment we could
      // not apply (PENDIENTE too: MercadoPago's notification can arrive before our booking
      // commits). Anything else moved money behind our back — a partial refund of ours with the
      // rest given back on MercadoPago's side, a FALLIDO one an operator redid by hand — an admin
      // case, whether or not the escrow was already released.
      const [ours] = await tx`
        select 1 from public.reembolsos r where r.trabajo_id = ${job.id} and r.mp_payment_id = ${payment.id}
          and r.estado in ('PENDIENTE', 'COMPLETADO') and r.monto = ${payment.amount}::numeric
        union all
        select 1 from public.devoluciones d where d.mp_payment_id = ${payment.id}
          and d.estado in ('PENDIENTE', 'COMPLETADO') and d.monto = ${payment.amount}::numeric`;
      if (payment.status === "refunded" && ours) return { outcome: "recorded", trabajoId };
      const [released] = await tx`
        select 1 from public.ledger_asientos a where a.trabajo_id = ${job.id} and a.tipo = 'LIBERACION'`;
      const kind = payment.status === "refunded" ? "REEMBOLSO_EXTERNO" : "CONTRACARGO";
      return await anomaly(tx, kind, payment, job.id, { ...detail, liberado: Boolean(released) });
    }
    case "rejected":
    case "cancelled":
      if (job) {
        await emitEvent(tx, {
          type: "payment.rejected",
          aggregateId: job.id,
          producer: "payments",
          payload: {
            ...eventParties(job),
            mp_payment_id: payment.id,
            monto: payment.amount,
            status: payment.status,
            status_detail: payment.statusDetail,
          },
        });
      }
      return { outcome: "recorded", trabajoId };
    default:
      // pending, in_process, authorized, in_mediation: wait for the next status.
      return { outcome: "recorded", trabajoId };
  }
}

async function applyApproved(
  tx: Tx,
  payment: MercadoPagoPayment,
  job: Job | null,
  pagoId: string,
  source: PaymentSource,
): Promise<RecordResult> {
  const detail = { monto: payment.amount, moneda: payment.currency, origen: source };
  if (!job) return await anomaly(tx, "REFERENCIA_DESCONOCIDA", payment, null, detail);
  // Approved again after another status of the same stage (approved → in_mediation → approved when
  // a claim is settled for the seller): the payment this job already holds, or one already being
  // returned. Nothing to apply, and nothing to give back. The job itself says so too (a payment
  // recorded before pagos.aplicado_at existed, or imported, holds the job without that mark).
  if (job.mercadopago_payment_id === payment.id) return { outcome: "recorded", trabajoId: job.id };
  const [known] = await tx`
    select 1 from public.pagos p where p.id = ${pagoId} and p.aplicado_at is not null
    union all
    select 1 from public.devoluciones d where d.mp_payment_id = ${payment.id}`;
  if (known) return { outcome: "recorded", trabajoId: job.id };
  // Part of it already given back (on MercadoPago's side: ours come after PAGADO) is less money
  // than the job's price, whatever `amount` says.
  const refunded = cents(payment.amountRefunded) > 0;
  if (
    cents(payment.amount) !== cents(job.precio_final) || (payment.currency ?? "ARS") !== "ARS" || refunded
  ) {
    return await anomaly(tx, "MONTO_DISTINTO", payment, job.id, {
      ...detail,
      esperado: Number(job.precio_final),
      ...(refunded ? { reembolsado: payment.amountRefunded } : {}),
    });
  }
  const [marked] = await tx<{ paid: boolean; estado: string; event_id: string | null }[]>`
    select * from public.trabajo_marcar_pagado(${job.id}::uuid, ${payment.id})`;
  if (!marked.paid) return await returnUnapplied(tx, payment, job, marked.estado, detail);
  trackEmittedEvents(tx, [marked.event_id!]);
  const [held] = await tx<{ held: boolean }[]>`
    select public.escrow_retener(${job.id}::uuid, ${job.precio_final}::numeric, ${payment.id}) as held`;
  if (!held.held) {
    // A PENDIENTE_PAGO job with a COBRO entry is a broken invariant; roll everything back.
    throw new Error(`El trabajo ${job.id} ya tenía un cobro registrado`);
  }
  await tx`update public.pagos set aplicado_at = now() where id = ${pagoId}`;
  await emitEvent(tx, {
    type: "payment.approved",
    aggregateId: job.id,
    producer: "payments",
    payload: {
      ...eventParties(job),
      mp_payment_id: payment.id,
      monto: Number(job.precio_final),
      origen: source,
    },
  });
  return { outcome: "applied", trabajoId: job.id };
}

/**
 * Money arrived we cannot apply: the job was paid already (the client paid twice) or cancelled.
 * The case is recorded (PAGO_TARDIO) and the payment given back whole, automatically
 * (refund.requested with a `devolucion_id`, carried out like a job's refund: refunds.ts); the
 * case closes itself when MercadoPago confirms.
 */
async function returnUnapplied(
  tx: Tx,
  payment: MercadoPagoPayment,
  job: Job,
  jobState: string,
  detail: Record<string, unknown>,
): Promise<RecordResult> {
  const result = await anomaly(tx, "PAGO_TARDIO", payment, job.id, {
    ...detail,
    estado_trabajo: jobState,
    devolucion_automatica: true,
  });
  const motivo = jobState === "CANCELADO"
    ? "El pago llegó cuando el trabajo ya estaba cancelado"
    : "El trabajo ya estaba pagado con otro pago";
  const [requested] = await tx<{ event_id: string | null }[]>`
    select * from public.pago_solicitar_devolucion(${payment.id}, ${job.id}::uuid, ${payment.amount}::numeric,
      ${motivo})`;
  if (requested.event_id) trackEmittedEvents(tx, [requested.event_id]);
  return result;
}

async function anomaly(
  tx: Tx,
  tipo: AnomalyKind,
  payment: MercadoPagoPayment,
  trabajoId: string | null,
  detalle: Record<string, unknown>,
): Promise<RecordResult> {
  // One open case per (kind, payment, job): the unique index makes repeats no-ops.
  await tx`
    insert into public.pago_anomalias (tipo, mp_payment_id, trabajo_id, detalle)
    values (${tipo}, ${payment.id}, ${trabajoId}, ${tx.json(detalle as never)})
    on conflict do nothing`;
  return { outcome: "anomaly", trabajoId, anomalia: tipo };
}

/**
 * The job a payment names, locked: every payment of one job is recorded one after another. Without
 * it two payments of the job deadlocked — each one's pagos row takes a key-share lock on the job
 * (its foreign key), then trabajo_marcar_pagado waits to lock the job for update.
 */
async function findJob(tx: Tx, reference: string | null): Promise<Job | null> {
  if (!reference || !UUID.test(reference)) return null;
  const [job] = await tx<Job[]>`
    select id, precio_final::text as precio_final, estado::text as estado, cliente_id, profesional_id,
      mercadopago_payment_id
    from public.trabajos where id = ${reference} for update`;
  return job ?? null;
}

/**
 * How far along its life a payment status is: waiting (pending, in_process, authorized…), taken
 * (approved, in_mediation), then final (refunded, charged_back, rejected, cancelled). A status
 * MercadoPago adds later counts as waiting.
 */
function statusStage(tx: Tx, status: postgres.PendingQuery<postgres.Row[]>) {
  return tx`(case when ${status} in ('refunded', 'charged_back', 'rejected', 'cancelled') then 2
    when ${status} in ('approved', 'in_mediation') then 1 else 0 end)`;
}

function eventParties(job: Job) {
  return { trabajo_id: job.id, cliente_id: job.cliente_id, profesional_id: job.profesional_id };
}
