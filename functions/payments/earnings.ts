import type { z } from "zod";
import type { Tx } from "../../shared/db.ts";
import type { balanceSchema, historySchema, movementSchema } from "./payout-schemas.ts";

/**
 * A professional's money, read from the ledger in their own transaction (RLS: their balance
 * lines, the lines of their jobs, their withdrawals). Ledger lines of the 'profesional' account
 * with a job are releases (LIBERACION: net to them); without one, withdrawals (RETIRO).
 */
export async function professionalBalance(tx: Tx, me: string): Promise<z.infer<typeof balanceSchema>> {
  const [row] = await tx<Record<string, string>[]>`
    select
      (select coalesce(sum(m.haber - m.debe), 0) from public.ledger_movimientos m
        where m.cuenta = 'profesional' and m.usuario_id = ${me}) as saldo,
      (select coalesce(sum(r.monto), 0) from public.retiros r
        where r.usuario_id = ${me} and r.estado in ('SOLICITADO', 'APROBADO')) as en_retiros,
      (select coalesce(sum(m.haber - m.debe), 0) from public.ledger_movimientos m
        join public.trabajos t on t.id = m.trabajo_id
        where m.cuenta = 'escrow' and t.profesional_id = ${me}
          and t.estado in ('PAGADO', 'EN_PROCESO', 'COMPLETADO')) as pendiente,
      (select coalesce(sum(m.haber), 0) from public.ledger_movimientos m
        where m.cuenta = 'profesional' and m.usuario_id = ${me} and m.trabajo_id is not null) as total_ganado,
      (select count(distinct m.trabajo_id) from public.ledger_movimientos m
        where m.cuenta = 'profesional' and m.usuario_id = ${me} and m.trabajo_id is not null
          and m.haber > 0) as trabajos_completados,
      (select coalesce(sum(m.haber - m.debe), 0) from public.ledger_movimientos m
        join public.trabajos t on t.id = m.trabajo_id
        where m.cuenta = 'comisiones' and t.profesional_id = ${me}) as total_comisiones`;
  const saldo = Number(row.saldo);
  const enRetiros = Number(row.en_retiros);
  return {
    disponible: round2(saldo - enRetiros),
    pendiente: Number(row.pendiente),
    total_ganado: Number(row.total_ganado),
    total_comisiones: Number(row.total_comisiones),
    trabajos_completados: Number(row.trabajos_completados),
    saldo,
    en_retiros: enRetiros,
  };
}

export type HistoryFilter = {
  page: number;
  limit: number;
  tipo?: "ingreso" | "egreso" | "comision";
  desde?: string;
  hasta?: string;
};

type MovementRow = {
  id: string;
  tipo: "ingreso" | "egreso";
  descripcion: string;
  monto: string;
  comision: string | null;
  bruto: string | null;
  estado: "pendiente" | "completado" | "cancelado";
  fecha: Date;
  cliente_id: string | null;
  trabajo_id: string | null;
  retiro_id: string | null;
};

/**
 * Releases to them (ingreso: net, with the job's commission and gross) and their withdrawals
 * (egreso), newest first. `tipo=comision` lists the releases that paid commission. `resumen` is
 * over the whole period (desde/hasta), whatever the page and tipo: ingresos net, egresos paid
 * withdrawals, comisiones the platform's part of the releases.
 */
export async function professionalHistory(
  tx: Tx,
  me: string,
  filter: HistoryFilter,
): Promise<z.infer<typeof historySchema>> {
  const desde = filter.desde ? new Date(filter.desde) : null;
  // A bare date as `hasta` includes that whole day.
  const hasta = filter.hasta
    ? new Date(new Date(filter.hasta).getTime() + (/^\d{4}-\d{2}-\d{2}$/.test(filter.hasta) ? 86_400_000 : 1))
    : null;
  const tipo = filter.tipo ?? null;
  const offset = (filter.page - 1) * filter.limit;
  const movements = tx`
    select m.id, 'ingreso'::text as tipo, 'Pago por trabajo: ' || left(t.descripcion, 120) as descripcion,
      m.haber as monto,
      (select coalesce(sum(c.haber), 0) from public.ledger_movimientos c
        where c.asiento_id = m.asiento_id and c.cuenta = 'comisiones') as comision,
      (select sum(e.debe) from public.ledger_movimientos e
        where e.asiento_id = m.asiento_id and e.cuenta = 'escrow') as bruto,
      'completado'::text as estado, m.created_at as fecha, t.cliente_id, t.id as trabajo_id,
      null::uuid as retiro_id
    from public.ledger_movimientos m
    join public.trabajos t on t.id = m.trabajo_id
    where m.cuenta = 'profesional' and m.usuario_id = ${me} and m.haber > 0
    union all
    select r.id, 'egreso', 'Retiro a ' || r.destino_mascara, r.monto, null, null,
      case r.estado when 'PAGADO' then 'completado' when 'RECHAZADO' then 'cancelado' else 'pendiente' end,
      r.created_at, null, null, r.id
    from public.retiros r where r.usuario_id = ${me}`;
  const matching = tx`
    (${desde}::timestamptz is null or fecha >= ${desde}::timestamptz)
    and (${hasta}::timestamptz is null or fecha < ${hasta}::timestamptz)
    and (${tipo}::text is null or tipo = ${tipo}::text
      or (${tipo}::text = 'comision' and tipo = 'ingreso' and comision > 0))`;
  const rows = await tx<MovementRow[]>`
    with movements as (${movements})
    select * from movements where ${matching}
    order by fecha desc, id
    limit ${filter.limit} offset ${offset}`;
  const [{ n }] = await tx<{ n: string }[]>`
    with movements as (${movements}) select count(*) as n from movements where ${matching}`;
  const total = Number(n);
  const [sums] = await tx<{ ingresos: string; egresos: string; comisiones: string; total: string }[]>`
    select
      coalesce(sum(m.haber), 0) as ingresos,
      coalesce((select sum(c.haber) from public.ledger_movimientos c
        join public.trabajos t on t.id = c.trabajo_id
        where c.cuenta = 'comisiones' and t.profesional_id = ${me}
          and (${desde}::timestamptz is null or c.created_at >= ${desde}::timestamptz)
          and (${hasta}::timestamptz is null or c.created_at < ${hasta}::timestamptz)), 0) as comisiones,
      coalesce((select sum(r.monto) from public.retiros r
        where r.usuario_id = ${me} and r.estado = 'PAGADO'
          and (${desde}::timestamptz is null or r.created_at >= ${desde}::timestamptz)
          and (${hasta}::timestamptz is null or r.created_at < ${hasta}::timestamptz)), 0) as egresos
    from public.ledger_movimientos m
    where m.cuenta = 'profesional' and m.usuario_id = ${me} and m.trabajo_id is not null and m.haber > 0
      and (${desde}::timestamptz is null or m.created_at >= ${desde}::timestamptz)
      and (${hasta}::timestamptz is null or m.created_at < ${hasta}::timestamptz)`;
  const names = await clientNames(tx, rows.map((r) => r.cliente_id).filter((id): id is string => !!id));
  return {
    movimientos: rows.map((r) => toMovement(r, names)),
    total,
    resumen: {
      total_ingresos: Number(sums.ingresos),
      total_egresos: Number(sums.egresos),
      total_comisiones: Number(sums.comisiones),
    },
    page: filter.page,
    limit: filter.limit,
    pages: Math.max(1, Math.ceil(total / filter.limit)),
  };
}

/** Client names through the marketplace's people function (RLS hides other people's rows). */
async function clientNames(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const people = await tx<{ id: string; nombre: string; apellido: string }[]>`
    select id, nombre, apellido from public.marketplace_people(${[...new Set(ids)]}::uuid[])`;
  return new Map(people.map((p) => [p.id, `${p.nombre} ${p.apellido}`.trim()]));
}

function toMovement(r: MovementRow, names: Map<string, string>): z.infer<typeof movementSchema> {
  return {
    id: r.id,
    tipo: r.tipo,
    descripcion: r.descripcion,
    monto: Number(r.monto),
    comision_plataforma: r.tipo === "ingreso" ? Number(r.comision ?? 0) : null,
    monto_bruto: r.bruto === null ? null : Number(r.bruto),
    estado: r.estado,
    fecha_creacion: r.fecha.toISOString(),
    cliente_nombre: r.cliente_id ? names.get(r.cliente_id) ?? null : null,
    trabajo_id: r.trabajo_id,
    retiro_id: r.retiro_id,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
