import { z } from "zod";
import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { publicReviewRead, type PublicReviewRow } from "../../shared/public-review.ts";
import { moneyOut, numberOut } from "./money.ts";
import { itemsOf, portfolioItemSchema } from "./portfolio.ts";
import { instantServicesOf, serviceReadSchema } from "./services.ts";
import { oficioRead, oficioReadSchema } from "./trades.ts";
import { entityId, timestamp } from "./wire.ts";

/**
 * Public views of a professional (compatibility.md C1): the monolith's PublicProfileResponse with
 * money and ratings as numbers and reviews in both clients' names. Never e-mail, verification
 * state, payout account, commission, base location or a reviewer's id. Runs on the service
 * connection with an explicit id filter: names come from the search projection (not readable by
 * API roles because it also holds locations).
 */
type PublicRow = {
  profesional_id: string;
  usuario_id: string;
  visible: boolean;
  nombre: string;
  apellido: string;
  avatar_url: string | null;
  nivel: string;
  radio_cobertura_km: number;
  acepta_instant: boolean;
  tarifa_por_hora: string | null;
  rating_promedio: string;
  total_resenas: number;
  puntos_experiencia: number;
  fecha_creacion: Date;
};

/** ResenaPublicRead in both clients' names (API.md rule 6); no client id. */
export const publicReviewSchema = z.object({
  id: entityId,
  rating: z.int().min(1).max(5),
  texto_resena: z.string().nullable(),
  comentario: z.string().nullable().describe("Same value as texto_resena"),
  nombre_cliente: z.string(),
  cliente_nombre: z.string().describe("Same value as nombre_cliente"),
  cliente_avatar_url: z.string().nullable(),
  fecha_creacion: timestamp,
  created_at: timestamp.describe("Same value as fecha_creacion"),
}).meta({ id: "ResenaPublicRead" });

export type PublicReview = z.infer<typeof publicReviewSchema>;

/** PublicProfileResponse (compatibility C1): public fields only, money and ratings as numbers. */
export const publicProfileSchema = z.object({
  id: entityId.describe("Profile id"),
  usuario_id: entityId.describe("Account id (chat, offers)"),
  nombre: z.string(),
  apellido: z.string(),
  avatar_url: z.string().nullable(),
  nivel: z.string(),
  radio_cobertura_km: z.int(),
  acepta_instant: z.boolean(),
  tarifa_por_hora: z.number().nullable(),
  rating_promedio: z.number(),
  total_resenas: z.int(),
  puntos_experiencia: z.int(),
  fecha_creacion: timestamp,
  oficios: z.array(oficioReadSchema).describe("By name"),
  oficio_principal: z.object({ id: entityId, nombre: z.string() }).nullable().describe(
    "The first of `oficios` (the integration client's name); null without trades",
  ),
  portfolio: z.array(portfolioItemSchema).describe("Newest first"),
  resenas: z.array(publicReviewSchema).describe("Newest first"),
  servicios_instantaneos: z.array(serviceReadSchema),
}).meta({ id: "PublicProfileRead" });

export type PublicProfile = z.infer<typeof publicProfileSchema>;

/** 404 "Profesional no encontrado" for an unknown id (any state). */
export async function requireProfessional(tx: Tx, id: string): Promise<void> {
  const [row] = await tx`select 1 from public.profesionales where id = ${id}`;
  if (!row) throw new AppError("not_found", "Profesional no encontrado");
}

/**
 * What every public page of a professional requires: approved and active (the projection's
 * `visible`). Unknown → 404 "Profesional no encontrado"; not approved or banned → 404
 * "Profesional no disponible", the same answer the profile gives, so the portfolio and reviews of
 * someone hidden are hidden too.
 */
export async function requireVisibleProfessional(tx: Tx, id: string): Promise<void> {
  const [row] = await tx<{ visible: boolean }[]>`
    select visible from public.busqueda_profesionales where profesional_id = ${id}`;
  if (row?.visible) return;
  if (!row) await requireProfessional(tx, id);
  throw new AppError("not_found", "Profesional no disponible");
}

export async function reviewsOf(tx: Tx, id: string): Promise<PublicReview[]> {
  const rows = await tx<PublicReviewRow[]>`select * from public.resenas_publicas(${id})`;
  return rows.map(publicReviewRead);
}

export async function publicProfile(tx: Tx, id: string): Promise<PublicProfile> {
  const [pro] = await tx<PublicRow[]>`
    select profesional_id, usuario_id, visible, nombre, apellido, avatar_url, nivel, radio_cobertura_km,
      acepta_instant, tarifa_por_hora, rating_promedio, total_resenas, puntos_experiencia, fecha_creacion
    from public.busqueda_profesionales where profesional_id = ${id}`;
  if (!pro) {
    await requireProfessional(tx, id);
    throw new AppError("not_found", "Profesional no disponible");
  }
  // Approved and active only (a banned account's profile disappears with it).
  if (!pro.visible) throw new AppError("not_found", "Profesional no disponible");
  const oficios = await tx`
    select o.id, o.nombre, o.descripcion, o.activo, o.fecha_creacion
    from public.profesional_oficios po join public.oficios o on o.id = po.oficio_id and o.activo
    where po.profesional_id = ${id} order by o.nombre`;
  const trades = oficios.map((o) => oficioRead(o as never));
  return {
    id: pro.profesional_id,
    usuario_id: pro.usuario_id,
    nombre: pro.nombre,
    apellido: pro.apellido,
    avatar_url: pro.avatar_url,
    nivel: pro.nivel,
    radio_cobertura_km: pro.radio_cobertura_km,
    acepta_instant: pro.acepta_instant,
    tarifa_por_hora: moneyOut(pro.tarifa_por_hora),
    rating_promedio: numberOut(pro.rating_promedio),
    total_resenas: pro.total_resenas,
    puntos_experiencia: pro.puntos_experiencia,
    fecha_creacion: pro.fecha_creacion.toISOString(),
    oficios: trades,
    oficio_principal: trades[0] ? { id: trades[0].id, nombre: trades[0].nombre } : null,
    portfolio: await itemsOf(tx, id),
    resenas: await reviewsOf(tx, id),
    servicios_instantaneos: await instantServicesOf(tx, id),
  };
}
