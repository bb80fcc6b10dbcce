// Lost webhooks: jobs still PENDIENTE_PAGO whose preference is older than a grace period, and, for
// PAYMENTS_RECONCILE_LATE_HOURS, jobs cancelled before any payment was applied and jobs just paid
// (a payment approved after the cancellation, or a second one, is returned: apply-payment.ts), are
// re-read from MercadoPago by external_reference, least recently re-read first, and every payment
// found is recorded by the same code as a webhook (so a payment seen twice is a no-op). Safe to run twice at once:
// recording is idempotent per (payment, status) and a job is marked paid at most once.

import { describeError } from "../../shared/log.ts";
import type { PaymentsPlatform } from "./config.ts";
import { recordPayment } from "./apply-payment.ts";
import { searchPaymentsByReference } from "./mercadopago.ts";
import { type PaymentSettings, requireClient } from "./settings.ts";

export type ReconcileReport = { revisados: number; aplicados: number; anomalias: number; errores: number };

/**
 * One reconciliation pass over the unpaid jobs with a preference re-read least recently, then the
 * recently cancelled and recently paid ones.
 *
 * @example
 * const report = await reconcileUnpaidJobs(platform, settings); // { revisados: 3, aplicados: 1, … }
 */
export async function reconcileUnpaidJobs(
  platform: PaymentsPlatform,
  settings: PaymentSettings,
): Promise<ReconcileReport> {
  const client = requireClient(settings);
  const { minAgeSeconds, batchSize, lateHours } = settings.reconcile;
  // A budget each, unpaid jobs first: a week of cancelled or paid ones must never delay a live
  // job's payment (found late, it would be returned instead of applied).
  const jobs = await platform.db.asService(async (tx) => {
    const due = (which: ReturnType<typeof tx>) =>
      tx<{ trabajo_id: string }[]>`
        select p.trabajo_id
        from public.pago_preferencias p
        join public.trabajos t on t.id = p.trabajo_id
        where p.created_at <= now() - make_interval(secs => ${minAgeSeconds}) and ${which}
        order by p.conciliada_at nulls first, p.created_at
        limit ${batchSize}`;
    const [unpaid, cancelled, paid] = await Promise.all([
      due(tx`t.estado = 'PENDIENTE_PAGO'`),
      due(tx`t.estado = 'CANCELADO' and t.mercadopago_payment_id is null
        and t.fecha_cancelacion > now() - make_interval(hours => ${lateHours})`),
      due(tx`t.mercadopago_payment_id is not null
        and t.fecha_pago > now() - make_interval(hours => ${lateHours})`),
    ]);
    return [...unpaid, ...cancelled, ...paid];
  });
  const report: ReconcileReport = { revisados: 0, aplicados: 0, anomalias: 0, errores: 0 };
  for (const { trabajo_id } of jobs) {
    report.revisados++;
    try {
      const payments = await searchPaymentsByReference(client, trabajo_id);
      for (const payment of payments) {
        const result = await platform.db.asService((tx) => recordPayment(tx, payment, "conciliacion"));
        if (result.outcome === "applied") report.aplicados++;
        if (result.outcome === "anomaly") report.anomalias++;
      }
    } catch (error) {
      // One job's failure (MercadoPago hiccup) must not stop the others; the next run retries it.
      report.errores++;
      platform.log.warn("reconciliation failed for a job", { trabajo_id, ...describeError(error) });
    } finally {
      // To the back of its queue either way: a job that fails every time must not hold the front.
      await platform.db.asService((tx) =>
        tx`update public.pago_preferencias set conciliada_at = now() where trabajo_id = ${trabajo_id}`
      ).catch((error) => platform.log.warn("reconciliation could not record a pass", describeError(error)));
    }
  }
  return report;
}
