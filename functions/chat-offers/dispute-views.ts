import type { Tx } from "../../shared/db.ts";
import type { DisputeDetail, DisputeMessageRead, DisputeRead } from "./dispute-schemas.ts";

/**
 * Reading disputes. Run inside `db.asUser` the rows are those RLS lets the caller see (the job's
 * parties, admins), so a third party's read finds nothing (404). Names come from
 * `marketplace_people` (the people the caller deals with; admins everyone).
 */
const COLUMNS = `d.id, d.trabajo_id, d.cliente_id, d.profesional_id, d.abierta_por, d.motivo, d.descripcion,
  d.evidencia, d.estado, d.resolucion, d.monto_reembolso::float8 as monto_reembolso, d.nota_resolucion,
  d.resuelta_por, d.fecha_creacion, d.fecha_resolucion, t.estado::text as trabajo_estado,
  t.precio_final::float8 as precio_final`;
const FROM = `public.disputas d join public.trabajos t on t.id = d.trabajo_id`;

type Row =
  & Omit<DisputeRead, "fecha_creacion" | "fecha_resolucion" | "cliente_nombre" | "profesional_nombre">
  & {
    fecha_creacion: Date;
    fecha_resolucion: Date | null;
  };
type Names = Map<string, string>;
const toRead = (r: Row, names: Names): DisputeRead => ({
  ...r,
  cliente_nombre: names.get(r.cliente_id) ?? "",
  profesional_nombre: names.get(r.profesional_id) ?? "",
  fecha_creacion: r.fecha_creacion.toISOString(),
  fecha_resolucion: r.fecha_resolucion?.toISOString() ?? null,
});

async function namesOf(tx: Tx, ids: (string | null)[]): Promise<Names> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = await tx<{ id: string; nombre: string | null; apellido: string | null }[]>`
    select id, nombre, apellido from public.marketplace_people(${wanted}::uuid[])`;
  return new Map(rows.map((r) => [r.id, `${r.nombre ?? ""} ${r.apellido ?? ""}`.trim()]));
}

type MessageRow = {
  id: string;
  disputa_id: string;
  autor_id: string | null;
  texto: string;
  created_at: Date;
};

export async function readDispute(tx: Tx, id: string): Promise<DisputeDetail | null> {
  const [row] = await tx<Row[]>`select ${tx.unsafe(COLUMNS)} from ${tx.unsafe(FROM)} where d.id = ${id}`;
  if (!row) return null;
  const messages = await tx<MessageRow[]>`
    select id, disputa_id, autor_id, texto, created_at from public.disputa_mensajes
    where disputa_id = ${id} order by created_at, id`;
  const names = await namesOf(tx, [row.cliente_id, row.profesional_id, ...messages.map((m) => m.autor_id)]);
  return {
    ...toRead(row, names),
    mensajes: messages.map((m): DisputeMessageRead => {
      // Only the parties and admins write: any other author is an admin (whose card a party may not see).
      const autor_rol = m.autor_id === row.cliente_id
        ? "CLIENTE"
        : m.autor_id === row.profesional_id
        ? "PROFESIONAL"
        : m.autor_id
        ? "ADMIN"
        : "SISTEMA";
      const autor_nombre = (m.autor_id && names.get(m.autor_id)) ||
        (autor_rol === "ADMIN" ? "Administración" : "");
      return { ...m, autor_rol, autor_nombre, created_at: m.created_at.toISOString() };
    }),
  };
}

/** Disputes newest first: `mine` = where the caller is a party; otherwise all (admins), by estado. */
export async function readDisputes(
  tx: Tx,
  filter: { mine?: string; estado?: string; page: number; limit: number },
): Promise<{ items: DisputeRead[]; total: number }> {
  const where = () =>
    tx`where true
    ${filter.mine ? tx`and (d.cliente_id = ${filter.mine} or d.profesional_id = ${filter.mine})` : tx``}
    ${filter.estado ? tx`and d.estado = ${filter.estado}` : tx``}`;
  const rows = await tx<Row[]>`
    select ${tx.unsafe(COLUMNS)} from ${tx.unsafe(FROM)} ${where()}
    order by d.fecha_creacion desc, d.id limit ${filter.limit} offset ${(filter.page - 1) * filter.limit}`;
  const [{ total }] = await tx<{ total: number }[]>`
    select count(*)::int as total from public.disputas d ${where()}`;
  const names = await namesOf(tx, rows.flatMap((r) => [r.cliente_id, r.profesional_id]));
  return { items: rows.map((r) => toRead(r, names)), total };
}
