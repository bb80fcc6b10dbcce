// The ledger-vs-MercadoPago report: for jobs with an applied payment, what our ledger holds and
// refunded against what MercadoPago says of that payment (status, transaction_amount,
// transaction_amount_refunded). A difference is a CONCILIACION anomaly for an admin, never a
// correction: money moved outside our books (a refund made on MercadoPago's site, a chargeback)
// or a booking went wrong, and only a person can tell which.

import { AppError } from "../../shared/errors.ts";
import type { Tx } from "../../shared/db.ts";
import { describeError } from "../../shared/log.ts";
import type { PaymentsPlatform } from "./config.ts";
import { getPayment, type MercadoPagoPayment } from "./mercadopago.ts";
import { type PaymentSettings, requireClient } from "./settings.ts";
import { cents } from "./cents.ts";

export type LedgerReport = { conciliados: number; discrepancias: number; errores: number };

/** A job's ledger for its payment, in cents: collected (COBRO), refunded (REEMBOLSO), refunds in flight. */
type Ledger = { cobrado: number; reembolsado: number; en_curso: number };

/**
 * Compares the least recently checked applied payments (or one job's, when `trabajoId` is given,
 * regardless of age) with MercadoPago and records a CONCILIACION anomaly per discrepancy.
 *
 * @example
 * const report = await reconcileLedger(platform, settings); // { conciliados: 50, discrepancias: 1, errores: 0 }
 */
export async function reconcileLedger(
  platform: PaymentsPlatform,
  settings: PaymentSettings,
  options: { trabajoId?: string } = {},
): Promise<LedgerReport> {
  const client = requireClient(settings);
  const { ledgerMinAgeSeconds, ledgerRecheckHours, batchSize } = settings.reconcile;
  const trabajoId = options.trabajoId ?? null;
  // Simulated payments (SIM-…) never reached MercadoPago: nothing to compare them with.
  const payments = await platform.db.asService((tx) =>
    tx<{ mp_payment_id: string; trabajo_id: string }[]>`
      select p.mp_payment_id, p.trabajo_id from public.pagos p
      where p.aplicado_at is not null and p.mp_payment_id not like 'SIM-%'
        and (case when ${trabajoId}::uuid is null
          then p.aplicado_at <= now() - make_interval(secs => ${ledgerMinAgeSeconds})
            and (p.conciliado_at is null or p.conciliado_at <= now() - make_interval(hours => ${ledgerRecheckHours}))
          else p.trabajo_id = ${trabajoId}::uuid end)
      order by p.conciliado_at nulls first, p.aplicado_at
      limit ${batchSize}`
  );
  const report: LedgerReport = { conciliados: 0, discrepancias: 0, errores: 0 };
  for (const { mp_payment_id, trabajo_id } of payments) {
    try {
      const found = await compare(platform, client, mp_payment_id, trabajo_id);
      report.conciliados++;
      if (found) report.discrepancias++;
    } catch (error) {
      // A MercadoPago hiccup skips this payment; it stays first in line for the next pass.
      report.errores++;
      platform.log.warn("ledger reconciliation failed for a payment", {
        trabajo_id,
        mp_payment_id,
        ...describeError(error),
      });
    }
  }
  return report;
}

async function compare(
  platform: PaymentsPlatform,
  client: ReturnType<typeof requireClient>,
  paymentId: string,
  trabajoId: string,
): Promise<boolean> {
  const before = await platform.db.asService((tx) => ledgerOf(tx, trabajoId));
  let payment: MercadoPagoPayment | null;
  try {
    payment = await getPayment(client, paymentId);
  } catch (error) {
    if (!(error instanceof AppError && error.code === "not_found")) throw error;
    payment = null; // We booked a payment MercadoPago does not know: a discrepancy too.
  }
  return await platform.db.asService(async (tx) => {
    // Read again after MercadoPago: a refund requested or booked while we asked is consistent
    // with one of the two readings; only a difference against both is real.
    const after = await ledgerOf(tx, trabajoId);
    const problems = discrepancies(payment, trabajoId, after);
    const real = problems.length > 0 && discrepancies(payment, trabajoId, before).length > 0;
    if (real) await record(tx, paymentId, trabajoId, payment, after, problems);
    await tx`update public.pagos set conciliado_at = now() where mp_payment_id = ${paymentId}`;
    return real;
  });
}

/** What disagrees between MercadoPago's payment and our ledger (empty: they agree). */
export function discrepancies(
  payment: MercadoPagoPayment | null,
  trabajoId: string,
  ledger: Ledger,
): string[] {
  if (!payment) return ["MercadoPago no conoce el pago"];
  const problems: string[] = [];
  if (payment.externalReference !== trabajoId) problems.push("external_reference distinta del trabajo");
  const amount = cents(payment.amount);
  const refunded = cents(payment.amountRefunded);
  if (amount !== ledger.cobrado) problems.push("monto cobrado distinto");
  // MercadoPago may already have refunded what we have PENDIENTE (booked when it answers).
  const refundOk = refunded === ledger.reembolsado || refunded === ledger.reembolsado + ledger.en_curso;
  if (!refundOk) problems.push("monto reembolsado distinto");
  const expected = refunded > 0 && refunded >= amount ? "refunded" : "approved";
  if (refundOk && payment.status !== expected) problems.push(`estado ${payment.status} en MercadoPago`);
  return problems;
}

async function ledgerOf(tx: Tx, trabajoId: string): Promise<Ledger> {
  const [row] = await tx<{ cobrado: string; reembolsado: string; en_curso: string }[]>`
    select
      coalesce(sum(m.haber) filter (where a.tipo = 'COBRO'), 0)::text as cobrado,
      coalesce(sum(m.debe) filter (where a.tipo = 'REEMBOLSO'), 0)::text as reembolsado,
      (select coalesce(sum(r.monto), 0) from public.reembolsos r
        where r.trabajo_id = ${trabajoId} and r.estado = 'PENDIENTE')::text as en_curso
    from public.ledger_asientos a
    join public.ledger_movimientos m on m.asiento_id = a.id and m.cuenta = 'escrow'
    where a.trabajo_id = ${trabajoId} and a.tipo in ('COBRO', 'REEMBOLSO')`;
  return { cobrado: cents(row.cobrado), reembolsado: cents(row.reembolsado), en_curso: cents(row.en_curso) };
}

async function record(
  tx: Tx,
  paymentId: string,
  trabajoId: string,
  payment: MercadoPagoPayment | null,
  ledger: Ledger,
  problems: string[],
) {
  const mercadopago = payment
    ? { status: payment.status, monto: payment.amount, monto_reembolsado: payment.amountRefunded }
    : null;
  const libro = {
    cobrado: ledger.cobrado / 100,
    reembolsado: ledger.reembolsado / 100,
    en_curso: ledger.en_curso / 100,
  };
  // The same discrepancy, once closed by an admin, is not reopened on every pass.
  const huella = JSON.stringify([mercadopago, libro.cobrado, libro.reembolsado]);
  await tx`
    insert into public.pago_anomalias (tipo, mp_payment_id, trabajo_id, detalle)
    select 'CONCILIACION', ${paymentId}, ${trabajoId},
      ${tx.json({ problemas: problems, mercadopago, libro, huella } as never)}
    where not exists (select 1 from public.pago_anomalias x where x.tipo = 'CONCILIACION'
      and x.mp_payment_id = ${paymentId} and x.detalle ->> 'huella' = ${huella})
    on conflict do nothing`;
}
