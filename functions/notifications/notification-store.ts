import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import type { NotificationOut } from "./schemas.ts";

/**
 * A person's notifications, always read and changed through `db.asUser` so RLS keeps each person
 * to their own rows (another person's id is simply not found: 404).
 */
const COLUMNS = "id, usuario_id, tipo, categoria, titulo, mensaje, leida, data, created_at, fecha_lectura";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function notFound(): AppError {
  return new AppError("not_found", "Notificación no encontrada");
}

/** A malformed id cannot name a notification: 404, as the contract asks for ids. */
export function notificationId(id: string): string {
  if (!UUID.test(id)) throw notFound();
  return id;
}

export function toNotification(row: Record<string, unknown>): NotificationOut {
  const created = (row.created_at as Date).toISOString();
  const data = row.data as Record<string, string>;
  return {
    id: row.id as string,
    usuario_id: row.usuario_id as string,
    tipo: row.tipo as string,
    categoria: row.categoria as string,
    titulo: row.titulo as string,
    mensaje: row.mensaje as string,
    leida: row.leida as boolean,
    data,
    metadata: data,
    fecha_creacion: created,
    created_at: created,
    fecha_lectura: row.fecha_lectura ? (row.fecha_lectura as Date).toISOString() : null,
  };
}

export async function listNotifications(
  tx: Tx,
  options: { page: number; limit: number; unreadOnly: boolean; tipo?: string },
) {
  const where = tx`where (${!options.unreadOnly} or not leida) and (${
    options.tipo ?? null
  }::text is null or tipo = ${options.tipo ?? null})`;
  const [{ total }] = await tx<
    { total: number }[]
  >`select count(*)::int as total from public.notifications ${where}`;
  const rows = await tx`
    select ${tx.unsafe(COLUMNS)} from public.notifications ${where}
    order by created_at desc, id desc
    limit ${options.limit} offset ${(options.page - 1) * options.limit}`;
  return {
    items: rows.map(toNotification),
    total,
    page: options.page,
    limit: options.limit,
    pages: Math.ceil(total / options.limit),
  };
}

export async function unreadCount(tx: Tx): Promise<number> {
  const [{ count }] = await tx<{ count: number }[]>`
    select count(*)::int as count from public.notifications where not leida`;
  return count;
}

export async function getNotification(tx: Tx, id: string): Promise<NotificationOut> {
  const [row] = await tx`select ${tx.unsafe(COLUMNS)} from public.notifications where id = ${id}`;
  if (!row) throw notFound();
  return toNotification(row);
}

export async function markRead(tx: Tx, id: string): Promise<NotificationOut> {
  // `leida` stays true once set: marking twice keeps the first reading time.
  const [row] = await tx`
    update public.notifications set leida = true, fecha_lectura = coalesce(fecha_lectura, now())
    where id = ${id} returning ${tx.unsafe(COLUMNS)}`;
  if (!row) throw notFound();
  return toNotification(row);
}

export async function markAllRead(tx: Tx): Promise<number> {
  const rows = await tx`
    update public.notifications set leida = true, fecha_lectura = now() where not leida returning id`;
  return rows.length;
}

export async function deleteNotification(tx: Tx, id: string): Promise<void> {
  const rows = await tx`delete from public.notifications where id = ${id} returning id`;
  if (!rows.length) throw notFound();
}
