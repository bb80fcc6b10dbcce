import type { z } from "zod";
import type { Tx } from "../../shared/db.ts";
import type {
  dashboardStatsSchema,
  financialMetricsSchema,
  paymentsDashboardSchema,
} from "./payout-schemas.ts";

/**
 * The admin's money dashboards, read in the admin's own transaction (RLS: admins see all).
 * Money comes from the ledger (the source of truth); job counts from trabajos.
 * - collected ("procesado", "ingresos"): COBRO entries, i.e. payments held in escrow;
 * - commission: the 'comisiones' account; released: net credited to professionals by releases.
 */

/** `GET /admin/pagos/dashboard` (the admin home's DashboardMetrics). */
export async function paymentsDashboard(tx: Tx): Promise<z.infer<typeof paymentsDashboardSchema>> {
  const [row] = await tx<Record<string, string>[]>`
    select
      (select count(*) from public.ledger_asientos a where a.tipo = 'COBRO') as total_transacciones,
      (select coalesce(sum(m.haber), 0) from public.ledger_movimientos m
        join public.ledger_asientos a on a.id = m.asiento_id
        where a.tipo = 'COBRO' and m.cuenta = 'escrow') as total_monto_procesado,
      (select coalesce(sum(m.haber - m.debe), 0) from public.ledger_movimientos m
        where m.cuenta = 'comisiones') as total_comisiones,
      (select count(*) from public.trabajos t where t.estado = 'PENDIENTE_PAGO') as pagos_pendientes,
      (select count(*) from public.retiros r where r.estado in ('SOLICITADO', 'APROBADO')) as retiros_pendientes,
      (select coalesce(sum(m.haber), 0) from public.ledger_movimientos m
        join public.ledger_asientos a on a.id = m.asiento_id
        where a.tipo = 'COBRO' and m.cuenta = 'escrow'
          and a.created_at >= now() - interval '30 days') as ingresos_ultimo_mes`;
  return numbers(row) as z.infer<typeof paymentsDashboardSchema>;
}

/** `GET /admin/metrics/financials`: the monolith's FinancialMetricsResponse over released jobs. */
export async function financialMetrics(tx: Tx): Promise<z.infer<typeof financialMetricsSchema>> {
  const [row] = await tx<Record<string, string>[]>`
    select
      coalesce(sum(t.precio_final), 0) as total_facturado,
      coalesce(sum((select sum(m.haber - m.debe) from public.ledger_movimientos m
        where m.cuenta = 'comisiones' and m.trabajo_id = t.id)), 0) as comision_total,
      count(*) as trabajos_completados
    from public.trabajos t where t.estado_escrow = 'LIBERADO'`;
  return numbers(row) as z.infer<typeof financialMetricsSchema>;
}

/** `GET /admin/dashboard/stats`: the HEAD payments service's shape (counts and money). */
export async function dashboardStats(tx: Tx): Promise<z.infer<typeof dashboardStatsSchema>> {
  const [jobs] = await tx<Record<string, string>[]>`
    select
      count(*) as total,
      count(*) filter (where t.estado = 'PENDIENTE_PAGO') as pendientes_pago,
      count(*) filter (where t.estado_escrow = 'PAGADO_EN_ESCROW') as en_escrow,
      count(*) filter (where t.estado_escrow = 'LIBERADO') as completados,
      count(*) filter (where t.estado = 'CANCELADO') as cancelados,
      coalesce(sum(t.precio_final) filter (where t.estado_escrow in ('PAGADO_EN_ESCROW', 'LIBERADO')), 0)
        as total_ingresos
    from public.trabajos t`;
  const [money] = await tx<Record<string, string>[]>`
    select
      coalesce(sum(m.haber - m.debe) filter (where m.cuenta = 'comisiones'), 0) as total_comisiones,
      coalesce(sum(m.haber - m.debe) filter (where m.cuenta = 'escrow'), 0) as dinero_en_escrow,
      coalesce(sum(m.haber) filter (where m.cuenta = 'profesional' and m.trabajo_id is not null), 0)
        as total_liberado
    from public.ledger_movimientos m`;
  const j = numbers(jobs);
  const f = numbers(money);
  return {
    trabajos: {
      total: j.total,
      pendientes_pago: j.pendientes_pago,
      en_escrow: j.en_escrow,
      completados: j.completados,
      cancelados: j.cancelados,
    },
    finanzas: {
      total_ingresos: j.total_ingresos,
      total_comisiones: f.total_comisiones,
      dinero_en_escrow: f.dinero_en_escrow,
      total_liberado: f.total_liberado,
    },
  };
}

/** numeric and bigint arrive as strings: every dashboard value is a JSON number. */
function numbers(row: Record<string, string>): Record<string, number> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}
