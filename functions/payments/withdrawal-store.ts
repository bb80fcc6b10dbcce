import type { z } from "zod";
import type { Tx } from "../../shared/db.ts";
import { trackEmittedEvents } from "../../shared/events.ts";
import type { adminWithdrawalSchema, withdrawalSchema } from "./payout-schemas.ts";

/**
 * Withdrawals (public.retiros). Requests and transitions go through the SQL functions of
 * migrations/20261212000100_payments_payouts.sql (lock, available-balance check, ledger entry and
 * outbox event in one transaction); this module calls them and shapes rows for the API.
 */
export type WithdrawalRow = {
  id: string;
  usuario_id: string;
  monto: string;
  estado: "SOLICITADO" | "APROBADO" | "PAGADO" | "RECHAZADO";
  destino_tipo: "CBU" | "CVU" | "ALIAS";
  destino_mascara: string;
  titular: string;
  motivo_rechazo: string | null;
  created_at: Date;
  approved_at: Date | null;
  paid_at: Date | null;
  rejected_at: Date | null;
};

export type Transition = "APROBAR" | "RECHAZAR" | "PAGAR";

const COLUMNS = `r.id, r.usuario_id, r.monto, r.estado, r.destino_tipo, r.destino_mascara, r.titular,
  r.motivo_rechazo, r.created_at, r.approved_at, r.paid_at, r.rejected_at`;

/** `retiro_solicitar` under the account-row lock: PT400 (→ 400) when not allowed. */
export async function requestWithdrawal(tx: Tx, usuarioId: string, monto: number, minimo: number) {
  const [row] = await tx<{ retiro_id: string; event_id: string }[]>`
    select * from public.retiro_solicitar(${usuarioId}, ${monto}, ${minimo})`;
  trackEmittedEvents(tx, [row.event_id]);
  return await findWithdrawal(tx, row.retiro_id);
}

/** `retiro_transicion`: PT404 unknown id, PT400 naming the state when the move is not allowed. */
export async function transitionWithdrawal(
  tx: Tx,
  id: string,
  action: Transition,
  adminId: string,
  extra: { motivo?: string; referencia?: string } = {},
) {
  const [row] = await tx<{ nuevo_estado: string; event_id: string }[]>`
    select * from public.retiro_transicion(${id}, ${action}, ${adminId}, ${extra.motivo ?? null},
      ${extra.referencia ?? null})`;
  trackEmittedEvents(tx, [row.event_id]);
  return row.nuevo_estado;
}

/** The admin's view of one withdrawal (with the professional's name and e-mail). */
export async function findAdminWithdrawal(tx: Tx, id: string) {
  const [row] = await tx<(WithdrawalRow & { nombre: string | null; email: string | null })[]>`
    select r.id, r.usuario_id, r.monto, r.estado, r.destino_tipo, r.destino_mascara, r.titular,
      r.motivo_rechazo, r.created_at, r.approved_at, r.paid_at, r.rejected_at,
      nullif(btrim(coalesce(u.nombre, '') || ' ' || coalesce(u.apellido, '')), '') as nombre, u.email
    from public.retiros r left join public.usuarios u on u.id = r.usuario_id where r.id = ${id}`;
  return row ?? null;
}

export async function findWithdrawal(tx: Tx, id: string): Promise<WithdrawalRow | null> {
  const [row] = await tx.unsafe<WithdrawalRow[]>(`select ${COLUMNS} from public.retiros r where r.id = $1`, [
    id,
  ]);
  return row ?? null;
}

/** One page of withdrawals, newest first; of one professional or (admins, RLS) everyone's. */
export async function listWithdrawals(
  tx: Tx,
  filter: { usuarioId?: string; estado?: string; page: number; limit: number },
) {
  const usuario = filter.usuarioId ?? null;
  const estado = filter.estado ?? null;
  const offset = (filter.page - 1) * filter.limit;
  const rows = await tx<(WithdrawalRow & { nombre: string | null; email: string | null; total: string })[]>`
    select r.id, r.usuario_id, r.monto, r.estado, r.destino_tipo, r.destino_mascara, r.titular,
      r.motivo_rechazo, r.created_at, r.approved_at, r.paid_at, r.rejected_at,
      nullif(btrim(coalesce(u.nombre, '') || ' ' || coalesce(u.apellido, '')), '') as nombre, u.email,
      count(*) over () as total
    from public.retiros r
    left join public.usuarios u on u.id = r.usuario_id
    where (${usuario}::uuid is null or r.usuario_id = ${usuario}::uuid)
      and (${estado}::text is null or r.estado = ${estado}::text)
    order by r.created_at desc, r.id
    limit ${filter.limit} offset ${offset}`;
  const total = rows.length ? Number(rows[0].total) : await countWithdrawals(tx, usuario, estado);
  return { rows, total };
}

async function countWithdrawals(tx: Tx, usuario: string | null, estado: string | null) {
  const [{ n }] = await tx<{ n: string }[]>`select count(*) as n from public.retiros r
    where (${usuario}::uuid is null or r.usuario_id = ${usuario}::uuid)
      and (${estado}::text is null or r.estado = ${estado}::text)`;
  return Number(n);
}

export function toWithdrawal(row: WithdrawalRow): z.infer<typeof withdrawalSchema> {
  return {
    id: row.id,
    usuario_id: row.usuario_id,
    monto: Number(row.monto),
    estado: row.estado,
    tipo_cuenta: row.destino_tipo.toLowerCase() as "cbu" | "cvu" | "alias",
    cuenta_destino: row.destino_mascara,
    titular: row.titular,
    motivo_rechazo: row.motivo_rechazo,
    fecha_solicitud: row.created_at.toISOString(),
    fecha_aprobacion: row.approved_at?.toISOString() ?? null,
    fecha_procesado: row.paid_at?.toISOString() ?? null,
    fecha_rechazo: row.rejected_at?.toISOString() ?? null,
  };
}

export function toAdminWithdrawal(
  row: WithdrawalRow & { nombre: string | null; email: string | null },
): z.infer<typeof adminWithdrawalSchema> {
  return { ...toWithdrawal(row), profesional_nombre: row.nombre, profesional_email: row.email };
}

/** Approved withdrawals with their full destination: the operator's payout batch (admins only). */
export async function approvedForExport(tx: Tx) {
  return await tx<
    {
      id: string;
      monto: string;
      destino_tipo: string;
      destino: string;
      titular: string;
      cuit: string | null;
      banco: string | null;
      email: string | null;
      approved_at: Date;
    }[]
  >`
    select r.id, r.monto, r.destino_tipo, r.destino, r.titular, r.cuit, r.banco, u.email, r.approved_at
    from public.retiros r left join public.usuarios u on u.id = r.usuario_id
    where r.estado = 'APROBADO'
    order by r.approved_at, r.id`;
}

/** One CSV field: quoted, quotes doubled, and a leading = + - @ neutralised (spreadsheet formulas). */
export function csvField(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}
