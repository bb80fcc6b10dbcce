import type { Tx } from "../../shared/db.ts";
import type { ListPage, OfertaRead, TimelineItem, TrabajoRead } from "./marketplace-schemas.ts";

/**
 * Offers, jobs and timelines as the API answers them, read in the caller's own transaction
 * (`db.asUser`: RLS shows parties their rows and admins all), with the other party's name,
 * avatar and rating through `public.marketplace_people` (RLS shows a user only their own account).
 */
export type PersonCard = { nombre: string; avatar_url: string | null; rating: number };
type PersonRow = {
  id: string;
  nombre: string;
  apellido: string;
  avatar_url: string | null;
  rating: number | null;
};

export async function marketplacePeople(tx: Tx, ids: string[]): Promise<Map<string, PersonCard>> {
  const unique = [...new Set(ids.filter(Boolean))];
  if (!unique.length) return new Map();
  const rows = await tx<PersonRow[]>`
    select id, nombre, apellido, avatar_url, rating_promedio::float8 as rating
    from public.marketplace_people(${unique}::uuid[])`;
  return new Map(rows.map((r) => [r.id, {
    nombre: `${r.nombre} ${r.apellido}`.trim(),
    avatar_url: r.avatar_url,
    rating: round2(r.rating ?? 0),
  }]));
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const iso = (d: Date | null) => d?.toISOString() ?? null;

type OfferRow = {
  id: string;
  chat_id: string;
  profesional_id: string;
  cliente_id: string;
  servicio_id: string | null;
  descripcion: string;
  precio_final: number;
  estado: OfertaRead["estado"];
  fecha_expiracion: Date;
  fecha_respuesta: Date | null;
  fecha_creacion: Date;
  fecha_actualizacion: Date;
  trabajo_id: string | null;
};

/** An unanswered offer past its time reads as EXPIRADO even before the sweep marks it. */
const OFFER_SELECT = `
  select o.id, o.chat_id, o.profesional_id, o.cliente_id, o.servicio_id, o.descripcion,
    o.precio_final::float8 as precio_final,
    case when o.estado = 'OFERTADO' and o.fecha_expiracion <= now() then 'EXPIRADO' else o.estado::text end
      as estado,
    o.fecha_expiracion, o.fecha_respuesta, o.fecha_creacion, o.fecha_actualizacion, t.id as trabajo_id
  from public.ofertas o left join public.trabajos t on t.oferta_id = o.id`;

export type OfferFilter =
  | { kind: "id"; id: string }
  | { kind: "cliente" | "profesional" | "party"; me: string }
  | { kind: "chat"; chatId: string; me: string };

/** Offers newest first; with `page`, one page of them (and the total without it). */
export async function readOffers(
  tx: Tx,
  filter: OfferFilter,
  page?: ListPage,
): Promise<{ items: OfertaRead[]; total: number }> {
  const where = filter.kind === "id"
    ? tx`o.id = ${filter.id}`
    : filter.kind === "chat"
    ? tx`o.chat_id = ${filter.chatId} and (o.cliente_id = ${filter.me} or o.profesional_id = ${filter.me})`
    : filter.kind === "cliente"
    ? tx`o.cliente_id = ${filter.me}`
    : filter.kind === "profesional"
    ? tx`o.profesional_id = ${filter.me}`
    : tx`(o.cliente_id = ${filter.me} or o.profesional_id = ${filter.me})`;
  const [{ total }] = await tx<{ total: number }[]>`
    select count(*)::int as total from public.ofertas o where ${where}`;
  const rows = await tx<OfferRow[]>`${tx.unsafe(OFFER_SELECT)} where ${where}
    order by o.fecha_creacion desc, o.id
    ${page ? tx`limit ${page.limit} offset ${(page.page - 1) * page.limit}` : tx``}`;
  const people = await marketplacePeople(tx, rows.flatMap((r) => [r.cliente_id, r.profesional_id]));
  return { items: rows.map((r) => toOffer(r, people)), total };
}

export async function readOffer(tx: Tx, id: string): Promise<OfertaRead | undefined> {
  return (await readOffers(tx, { kind: "id", id })).items[0];
}

function toOffer(r: OfferRow, people: Map<string, PersonCard>): OfertaRead {
  const pro = people.get(r.profesional_id);
  const client = people.get(r.cliente_id);
  return {
    id: r.id,
    profesional_id: r.profesional_id,
    cliente_id: r.cliente_id,
    chat_id: r.chat_id,
    servicio_id: r.servicio_id,
    descripcion: r.descripcion,
    precio_final: r.precio_final,
    precio: r.precio_final,
    estado: r.estado,
    fecha_creacion: r.fecha_creacion.toISOString(),
    fecha_actualizacion: r.fecha_actualizacion.toISOString(),
    created_at: r.fecha_creacion.toISOString(),
    updated_at: r.fecha_actualizacion.toISOString(),
    fecha_expiracion: r.fecha_expiracion.toISOString(),
    fecha_respuesta: iso(r.fecha_respuesta),
    trabajo_id: r.trabajo_id,
    profesional_nombre: pro?.nombre ?? "",
    profesional_avatar_url: pro?.avatar_url ?? null,
    profesional_rating: pro?.rating ?? 0,
    cliente_nombre: client?.nombre ?? "",
    cliente_avatar_url: client?.avatar_url ?? null,
  };
}

type JobRow =
  & Omit<
    TrabajoRead,
    | "precio"
    | "created_at"
    | "updated_at"
    | "cliente_nombre"
    | "profesional_nombre"
    | "payment_url"
    | `fecha_${string}`
  >
  & {
    fecha_creacion: Date;
    fecha_actualizacion: Date;
    fecha_pago: Date | null;
    fecha_inicio: Date | null;
    fecha_fin: Date | null;
    fecha_aprobacion: Date | null;
    fecha_cancelacion: Date | null;
  };

const JOB_SELECT = `
  select t.id, t.cliente_id, t.profesional_id, t.oferta_id, t.servicio_instant_id, t.chat_id, t.descripcion,
    t.precio_final::float8 as precio_final, t.comision_plataforma::float8 as comision_plataforma,
    t.monto_liberado::float8 as monto_liberado, t.estado::text as estado, t.estado_escrow::text as estado_escrow,
    t.mercadopago_payment_id, t.fecha_creacion, t.fecha_actualizacion, t.fecha_pago, t.fecha_inicio, t.fecha_fin,
    t.fecha_aprobacion, t.fecha_cancelacion, t.motivo_cancelacion, t.notas_profesional, t.notas_cliente, t.imagenes
  from public.trabajos t`;

export type JobFilter =
  | { kind: "id"; id: string }
  | { kind: "cliente" | "profesional" | "party"; me: string }
  | { kind: "all" };

/** Signs the checkout link of an unpaid job for its client (null: not configured). */
export type PaymentLinker = (job: { id: string; cliente_id: string }) => Promise<string | null>;

/** Jobs newest first; `viewer` gets `payment_url` on their own unpaid jobs. */
export async function readJobs(
  tx: Tx,
  filter: JobFilter,
  options: { viewer: string; link: PaymentLinker; page?: ListPage },
): Promise<{ items: TrabajoRead[]; total: number }> {
  const where = filter.kind === "id"
    ? tx`t.id = ${filter.id}`
    : filter.kind === "cliente"
    ? tx`t.cliente_id = ${filter.me}`
    : filter.kind === "profesional"
    ? tx`t.profesional_id = ${filter.me}`
    : filter.kind === "party"
    ? tx`(t.cliente_id = ${filter.me} or t.profesional_id = ${filter.me})`
    : tx`true`;
  const [{ total }] = await tx<{ total: number }[]>`
    select count(*)::int as total from public.trabajos t where ${where}`;
  const { page } = options;
  const rows = await tx<JobRow[]>`${tx.unsafe(JOB_SELECT)} where ${where}
    order by t.fecha_creacion desc, t.id
    ${page ? tx`limit ${page.limit} offset ${(page.page - 1) * page.limit}` : tx``}`;
  const people = await marketplacePeople(tx, rows.flatMap((r) => [r.cliente_id, r.profesional_id]));
  const items = await Promise.all(rows.map(async (r) => {
    const payable = r.estado === "PENDIENTE_PAGO" && r.cliente_id === options.viewer;
    return toJob(r, people, payable ? await options.link(r) : null);
  }));
  return { items, total };
}

export async function readJob(
  tx: Tx,
  id: string,
  options: { viewer: string; link: PaymentLinker },
): Promise<TrabajoRead | undefined> {
  return (await readJobs(tx, { kind: "id", id }, options)).items[0];
}

function toJob(r: JobRow, people: Map<string, PersonCard>, paymentUrl: string | null): TrabajoRead {
  return {
    ...r,
    precio: r.precio_final,
    fecha_creacion: r.fecha_creacion.toISOString(),
    fecha_actualizacion: r.fecha_actualizacion.toISOString(),
    created_at: r.fecha_creacion.toISOString(),
    updated_at: r.fecha_actualizacion.toISOString(),
    fecha_pago: iso(r.fecha_pago),
    fecha_inicio: iso(r.fecha_inicio),
    fecha_fin: iso(r.fecha_fin),
    fecha_aprobacion: iso(r.fecha_aprobacion),
    fecha_cancelacion: iso(r.fecha_cancelacion),
    imagenes: r.imagenes ?? [],
    cliente_nombre: people.get(r.cliente_id)?.nombre ?? "",
    profesional_nombre: people.get(r.profesional_id)?.nombre ?? "",
    payment_url: paymentUrl,
  };
}

type EventRow = Omit<TimelineItem, "usuario_nombre" | "created_at"> & { created_at: Date };

/** A job's timeline, oldest first (RLS: its parties and admins). */
export async function readTimeline(tx: Tx, jobId: string): Promise<TimelineItem[]> {
  const rows = await tx<EventRow[]>`
    select id, trabajo_id, tipo, descripcion, estado_anterior::text as estado_anterior,
      estado_nuevo::text as estado_nuevo, usuario_id, metadata, created_at
    from public.trabajo_eventos where trabajo_id = ${jobId}
    order by created_at, id`;
  const people = await marketplacePeople(tx, rows.map((r) => r.usuario_id ?? ""));
  return rows.map((r) => toTimelineItem(r, people));
}

export function toTimelineItem(r: EventRow, people: Map<string, PersonCard>): TimelineItem {
  return {
    ...r,
    usuario_nombre: r.usuario_id ? people.get(r.usuario_id)?.nombre ?? null : "Sistema",
    created_at: r.created_at.toISOString(),
  };
}
