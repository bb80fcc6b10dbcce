import { z } from "zod";
import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { entityId, timestamp } from "./wire.ts";

/** OficioRead (+ `fecha_creacion`, `activo`); a missing description is `""` (compatibility C4). */
export const oficioReadSchema = z.object({
  id: entityId,
  nombre: z.string(),
  descripcion: z.string(),
  activo: z.boolean(),
  fecha_creacion: timestamp,
}).meta({ id: "OficioRead" });

export type OficioRead = z.infer<typeof oficioReadSchema>;

type OficioRow = {
  id: string;
  nombre: string;
  descripcion: string | null;
  activo: boolean;
  fecha_creacion: Date;
};

export function oficioRead(row: OficioRow): OficioRead {
  return {
    id: row.id,
    nombre: row.nombre,
    descripcion: row.descripcion ?? "",
    activo: row.activo,
    fecha_creacion: row.fecha_creacion.toISOString(),
  };
}

/** Trades the caller may see (RLS: active ones; admins also inactive ones), by name. */
export async function listTrades(tx: Tx): Promise<OficioRead[]> {
  const rows = await tx<OficioRow[]>`
    select id, nombre, descripcion, activo, fecha_creacion from public.oficios order by nombre`;
  return rows.map(oficioRead);
}

export async function createTrade(tx: Tx, input: { nombre: string; descripcion?: string | null }) {
  const nombre = input.nombre.trim();
  try {
    const [row] = await tx<OficioRow[]>`
      insert into public.oficios (nombre, descripcion) values (${nombre}, ${input.descripcion?.trim() ?? ""})
      returning id, nombre, descripcion, activo, fecha_creacion`;
    return oficioRead(row);
  } catch (error) {
    throw duplicateName(error, nombre);
  }
}

export async function updateTrade(
  tx: Tx,
  id: string,
  changes: { nombre?: string; descripcion?: string | null; activo?: boolean },
): Promise<OficioRead> {
  const values: Record<string, unknown> = {};
  if (changes.nombre !== undefined) values.nombre = changes.nombre.trim();
  if (changes.descripcion !== undefined) values.descripcion = changes.descripcion?.trim() ?? "";
  if (changes.activo !== undefined) values.activo = changes.activo;
  try {
    const [row] = await tx<OficioRow[]>`
      update public.oficios set ${tx({ ...values, fecha_actualizacion: new Date() })}
      where id = ${id} returning id, nombre, descripcion, activo, fecha_creacion`;
    if (!row) throw new AppError("not_found", "Oficio no encontrado");
    return oficioRead(row);
  } catch (error) {
    throw duplicateName(error, String(values.nombre ?? ""));
  }
}

export async function toggleTrade(tx: Tx, id: string): Promise<OficioRead> {
  const [row] = await tx<OficioRow[]>`
    update public.oficios set activo = not activo, fecha_actualizacion = now()
    where id = ${id} returning id, nombre, descripcion, activo, fecha_creacion`;
  if (!row) throw new AppError("not_found", "Oficio no encontrado");
  return oficioRead(row);
}

/** The unique index is case-insensitive: "plomería" duplicates "Plomería" (400, as the original). */
function duplicateName(error: unknown, nombre: string): unknown {
  const e = error as { code?: string; constraint_name?: string };
  if (e.code === "23505" && e.constraint_name === "oficios_nombre_unique_idx") {
    return new AppError("bad_request", `Ya existe un oficio con el nombre '${nombre}'`);
  }
  return error;
}

/**
 * Active trades among `ids` (deduplicated). Unknown or inactive ids → 404 naming them, in the
 * original's format (`Oficios no encontrados: ['<uuid>', ...]`).
 */
export async function requireActiveTrades(tx: Tx, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  if (unique.length === 0) return [];
  const rows = await tx<{ id: string }[]>`
    select id from public.oficios where id = any(${unique}::uuid[]) and activo`;
  const found = new Set(rows.map((r) => r.id));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length) {
    throw new AppError("not_found", `Oficios no encontrados: [${missing.map((id) => `'${id}'`).join(", ")}]`);
  }
  return unique;
}

/** 404 `No existe el oficio con ID <id>` unless the trade exists (visible to the caller). */
export async function requireTrade(tx: Tx, id: string, message = `No existe el oficio con ID ${id}`) {
  const [row] = await tx<OficioRow[]>`
    select id, nombre, descripcion, activo, fecha_creacion from public.oficios where id = ${id}`;
  if (!row) throw new AppError("not_found", message);
  return oficioRead(row);
}
