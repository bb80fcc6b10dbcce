import { z } from "zod";
import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { moneyIn, moneyOut, numberOut } from "./money.ts";
import { entityId, timestamp } from "./wire.ts";

/**
 * Instant services, one table for the admin catalog (no owner, no price) and the fixed-price
 * services professionals publish (compatibility.md rows 28–29).
 */
type ServiceRow = {
  id: string;
  nombre: string;
  descripcion: string | null;
  oficio_id: string;
  profesional_id: string | null;
  precio_fijo: string | null;
  fecha_creacion: Date;
};

const COLUMNS = "id, nombre, descripcion, oficio_id, profesional_id, precio_fijo, fecha_creacion";

/** ServicioInstantaneoRead (+ nullable `precio_fijo` and `profesional_id`). */
export const serviceReadSchema = z.object({
  id: entityId,
  nombre: z.string(),
  descripcion: z.string(),
  oficio_id: entityId,
  profesional_id: entityId.nullable().describe("null for the admin catalog"),
  precio_fijo: z.number().nullable().describe("null for the admin catalog"),
  fecha_creacion: timestamp,
}).meta({ id: "ServicioInstantaneoRead" });

export function serviceRead(row: ServiceRow): z.infer<typeof serviceReadSchema> {
  return {
    id: row.id,
    nombre: row.nombre,
    descripcion: row.descripcion ?? "",
    oficio_id: row.oficio_id,
    profesional_id: row.profesional_id,
    precio_fijo: moneyOut(row.precio_fijo),
    fecha_creacion: row.fecha_creacion.toISOString(),
  };
}

export async function createCatalogService(
  tx: Tx,
  input: { nombre: string; descripcion?: string | null; oficio_id: string },
) {
  await requireTradeForService(tx, input.oficio_id, `No existe el oficio con ID ${input.oficio_id}`);
  const [row] = await tx<ServiceRow[]>`
    insert into public.servicios_instantaneos (nombre, descripcion, oficio_id)
    values (${input.nombre.trim()}, ${input.descripcion?.trim() ?? ""}, ${input.oficio_id})
    returning ${tx.unsafe(COLUMNS)}`;
  return serviceRead(row);
}

/** The trade's catalog, by name (404 for an unknown trade). */
export async function catalogOfTrade(tx: Tx, oficioId: string) {
  await requireTradeForService(tx, oficioId, `No existe el oficio con ID ${oficioId}`);
  const rows = await tx<ServiceRow[]>`
    select ${tx.unsafe(COLUMNS)} from public.servicios_instantaneos
    where oficio_id = ${oficioId} and profesional_id is null order by nombre`;
  return rows.map(serviceRead);
}

/** Replaces the catalog services a professional offers; unknown ids → 404, nothing changes. */
export async function replaceInstantServices(tx: Tx, profileId: string, ids: readonly string[]) {
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
  const found = wanted.length
    ? await tx<{ id: string }[]>`select id from public.servicios_instantaneos
        where id = any(${wanted}::uuid[]) and profesional_id is null`
    : [];
  const known = new Set(found.map((r) => r.id));
  const missing = wanted.filter((id) => !known.has(id));
  if (missing.length) {
    throw new AppError(
      "not_found",
      `Servicios no encontrados: [${missing.map((id) => `'${id}'`).join(", ")}]`,
    );
  }
  await tx`delete from public.profesional_servicios_instant
           where profesional_id = ${profileId} and not (servicio_id = any(${wanted}::uuid[]))`;
  if (wanted.length) {
    await tx`insert into public.profesional_servicios_instant (profesional_id, servicio_id)
             select ${profileId}, unnest(${wanted}::uuid[]) on conflict do nothing`;
  }
  return await instantServicesOf(tx, profileId);
}

export async function instantServicesOf(tx: Tx, profileId: string) {
  const rows = await tx<ServiceRow[]>`
    select s.id, s.nombre, s.descripcion, s.oficio_id, s.profesional_id, s.precio_fijo, s.fecha_creacion
    from public.profesional_servicios_instant ps
    join public.servicios_instantaneos s on s.id = ps.servicio_id
    where ps.profesional_id = ${profileId} order by s.nombre`;
  return rows.map(serviceRead);
}

export type PublishInput = {
  nombre: string;
  descripcion?: string | null;
  precio_fijo: number;
  oficio_id: string;
};

export async function publishService(tx: Tx, profileId: string, input: PublishInput) {
  await requireTradeForService(tx, input.oficio_id, `Oficio con ID ${input.oficio_id} no encontrado`);
  const [row] = await tx<ServiceRow[]>`
    insert into public.servicios_instantaneos (nombre, descripcion, oficio_id, profesional_id, precio_fijo)
    values (${input.nombre.trim()}, ${input.descripcion?.trim() ?? ""}, ${input.oficio_id}, ${profileId},
            ${moneyIn(input.precio_fijo)})
    returning ${tx.unsafe(COLUMNS)}`;
  return row.id;
}

export async function updatePublishedService(
  tx: Tx,
  profileId: string,
  id: string,
  changes: Partial<PublishInput>,
) {
  if (changes.oficio_id) {
    await requireTradeForService(tx, changes.oficio_id, `Oficio con ID ${changes.oficio_id} no encontrado`);
  }
  const values: Record<string, unknown> = { fecha_actualizacion: new Date() };
  if (changes.nombre !== undefined) values.nombre = changes.nombre.trim();
  if (changes.descripcion !== undefined) values.descripcion = changes.descripcion?.trim() ?? "";
  if (changes.precio_fijo !== undefined) values.precio_fijo = moneyIn(changes.precio_fijo);
  if (changes.oficio_id !== undefined) values.oficio_id = changes.oficio_id;
  const [row] = await tx`update public.servicios_instantaneos set ${tx(values)}
    where id = ${id} and profesional_id = ${profileId} returning id`;
  if (!row) throw new AppError("not_found", "Servicio no encontrado o no tienes permiso para modificarlo");
}

export async function deletePublishedService(tx: Tx, profileId: string, id: string) {
  const [row] = await tx`delete from public.servicios_instantaneos
    where id = ${id} and profesional_id = ${profileId} returning id`;
  if (!row) throw new AppError("not_found", "Servicio no encontrado o no tienes permiso para eliminarlo");
}

/** A published service always has its owner and price (check `servicios_publicado_tiene_precio`). */
type PublishedRow = ServiceRow & {
  profesional_id: string;
  precio_fijo: string;
  oficio_nombre: string;
  pro_nombre: string;
  pro_apellido: string;
  pro_rating: string;
  pro_nivel: string;
  pro_avatar_url: string | null;
};

/** A published service with its owner and trade, as the /proyectos cards read it. */
export const publishedServiceSchema = serviceReadSchema.extend({
  profesional_id: entityId,
  precio_fijo: z.number(),
  profesional: z.object({
    id: entityId,
    nombre: z.string().describe("Full name"),
    apellido: z.string(),
    nivel: z.string(),
    avatar_url: z.string().nullable(),
    rating_promedio: z.number(),
  }),
  oficio: z.object({ id: entityId, nombre: z.string(), categoria: z.string() }),
}).meta({ id: "ServicioPublicado" });

/** A `PublishedRow` as `ServicioPublicado`. */
export function publishedRead(row: PublishedRow): z.infer<typeof publishedServiceSchema> {
  return {
    ...serviceRead(row),
    profesional_id: row.profesional_id,
    precio_fijo: moneyOut(row.precio_fijo),
    profesional: {
      id: row.profesional_id,
      nombre: `${row.pro_nombre} ${row.pro_apellido}`.trim(),
      apellido: row.pro_apellido,
      nivel: row.pro_nivel,
      avatar_url: row.pro_avatar_url,
      rating_promedio: numberOut(row.pro_rating),
    },
    oficio: { id: row.oficio_id, nombre: row.oficio_nombre, categoria: row.oficio_nombre },
  };
}

/** The public marketplace: services of visible (approved, active) professionals, newest first. */
export async function listPublicServices(tx: Tx, filter: { oficioId?: string; limit: number }) {
  // Service connection: owner fields come from the search projection, which only its owner reads.
  const rows = await tx<PublishedRow[]>`
    select s.id, s.nombre, s.descripcion, s.oficio_id, s.profesional_id, s.precio_fijo, s.fecha_creacion,
      o.nombre as oficio_nombre, b.nombre as pro_nombre, b.apellido as pro_apellido,
      b.rating_promedio as pro_rating, b.nivel as pro_nivel, b.avatar_url as pro_avatar_url
    from public.servicios_instantaneos s
    join public.oficios o on o.id = s.oficio_id and o.activo
    join public.busqueda_profesionales b on b.profesional_id = s.profesional_id and b.visible
    where s.profesional_id is not null
      ${filter.oficioId ? tx`and s.oficio_id = ${filter.oficioId}` : tx``}
    order by s.fecha_creacion desc, s.id
    limit ${filter.limit}`;
  return rows.map(publishedRead);
}

/** The caller's own published services (runs as the user: RLS shows only their rows). */
export async function listOwnServices(tx: Tx, profileId: string, id?: string) {
  const rows = await tx<PublishedRow[]>`
    select s.id, s.nombre, s.descripcion, s.oficio_id, s.profesional_id, s.precio_fijo, s.fecha_creacion,
      coalesce(o.nombre, '') as oficio_nombre, u.nombre as pro_nombre, u.apellido as pro_apellido,
      p.rating_promedio as pro_rating, p.nivel as pro_nivel, u.avatar_url as pro_avatar_url
    from public.servicios_instantaneos s
    -- A deactivated trade is hidden from non-admins by RLS; the service still lists.
    left join public.oficios o on o.id = s.oficio_id
    join public.profesionales p on p.id = s.profesional_id
    join public.usuarios u on u.id = p.usuario_id
    where s.profesional_id = ${profileId} ${id ? tx`and s.id = ${id}` : tx``}
    order by s.fecha_creacion desc, s.id`;
  return rows.map(publishedRead);
}

async function requireTradeForService(tx: Tx, oficioId: string, message: string) {
  const [row] = await tx`select 1 from public.oficios where id = ${oficioId}`;
  if (!row) throw new AppError("not_found", message);
}
