import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { emitEvent } from "../../shared/events.ts";
import { publicReviewRead, type PublicReviewRow } from "../../shared/public-review.ts";
import type { ResenaPublic, ResenaRead } from "./review-schemas.ts";

/**
 * Reviews (API.md "Reviews", compatibility.md §1.3 and §3.6): only the job's client, only once the
 * job is approved (escrow LIBERADO), once per job, until `windowDays` after the approval. Checks in
 * the monolith's order: 404 job → 403 not the client → 400 state → 400 duplicate → 404 profile →
 * 400 window (rating validation, 422, runs before, in the route).
 *
 * The job row is locked (`for update`), so two concurrent reviews of one job make one (the second
 * sees the first: duplicate); the professional's reviews are serialised by an advisory lock, so
 * the mean each one computes — round(avg(rating), 2) over all of them, in this transaction — counts
 * every committed review. The profile's rating columns are professionals': they get the figures
 * through `review.created` (its handler stores them and applies the review points).
 *
 * @example
 * const done = await db.asService((tx) => createReview(tx, { trabajoId, clienteId: user.id, rating: 5 }, 30));
 * done.rating_promedio; // 4.67
 */
export type ReviewInput = { trabajoId: string; clienteId: string; rating: number; texto?: string | null };
export type ReviewCreated = { resena: ResenaRead; rating_promedio: number; total_resenas: number };

type ReviewRow = {
  id: string;
  trabajo_id: string;
  cliente_id: string;
  profesional_id: string;
  rating: number;
  texto_resena: string | null;
  respuesta: string | null;
  respuesta_at: Date | null;
  fecha_creacion: Date;
  fecha_actualizacion: Date;
};
const REVIEW_COLUMNS =
  `id, trabajo_id, cliente_id, profesional_id, rating, texto_resena, respuesta, respuesta_at,
  fecha_creacion, fecha_actualizacion`;
const DAY_MS = 24 * 60 * 60 * 1000;

export async function createReview(tx: Tx, input: ReviewInput, windowDays: number): Promise<ReviewCreated> {
  const [job] = await tx<
    {
      id: string;
      cliente_id: string;
      profesional_id: string;
      estado_escrow: string;
      fecha_aprobacion: Date | null;
    }[]
  >`select id, cliente_id, profesional_id, estado_escrow::text as estado_escrow, fecha_aprobacion
    from public.trabajos where id = ${input.trabajoId} for update`;
  if (!job) throw new AppError("not_found", "Trabajo no encontrado");
  if (job.cliente_id !== input.clienteId) throw new AppError("forbidden", "Este trabajo no te pertenece");
  if (job.estado_escrow !== "LIBERADO") {
    throw new AppError(
      "bad_request",
      `No se puede reseñar un trabajo en estado ${job.estado_escrow}. Solo se pueden reseñar trabajos LIBERADOS.`,
    );
  }
  const [existing] = await tx`select 1 from public.resenas where trabajo_id = ${job.id}`;
  if (existing) {
    throw new AppError("bad_request", "Este trabajo ya tiene una reseña. No se puede calificar dos veces.");
  }
  const [pro] = await tx<{ id: string }[]>`
    select id from public.profesionales where usuario_id = ${job.profesional_id}`;
  if (!pro) throw new AppError("not_found", "Profesional no encontrado");
  if (job.fecha_aprobacion && Date.now() > job.fecha_aprobacion.getTime() + windowDays * DAY_MS) {
    throw new AppError(
      "bad_request",
      `El plazo para reseñar este trabajo venció: se puede reseñar hasta ${windowDays} días después de su aprobación.`,
    );
  }

  await tx`select pg_advisory_xact_lock(hashtext('resenas:' || ${pro.id}::text))`;
  const texto = input.texto?.trim() ? input.texto.trim() : null;
  const [row] = await tx<ReviewRow[]>`
    insert into public.resenas (trabajo_id, cliente_id, profesional_id, rating, texto_resena)
    values (${job.id}, ${job.cliente_id}, ${pro.id}, ${input.rating}, ${texto})
    returning ${tx.unsafe(REVIEW_COLUMNS)}`;
  const [stats] = await tx<{ promedio: string; total: number }[]>`
    select round(avg(rating)::numeric, 2)::text as promedio, count(*)::int as total
    from public.resenas where profesional_id = ${pro.id}`;
  const rating_promedio = Number(stats.promedio);
  await emitEvent(tx, {
    type: "review.created",
    aggregateId: row.id,
    producer: "chat-offers",
    payload: {
      resena_id: row.id,
      trabajo_id: job.id,
      profesional_id: pro.id,
      profesional_usuario_id: job.profesional_id,
      cliente_id: job.cliente_id,
      rating: input.rating,
      rating_promedio,
      total_resenas: stats.total,
    },
  });
  return { resena: reviewRead(row), rating_promedio, total_resenas: stats.total };
}

/** The professional's one answer: 404 → 403 (not the reviewed professional) → 400 already answered. */
export async function answerReview(
  tx: Tx,
  input: { resenaId: string; usuarioId: string; texto: string },
): Promise<ResenaRead> {
  const [review] = await tx<(ReviewRow & { usuario_id: string })[]>`
    select r.id, r.trabajo_id, r.cliente_id, r.profesional_id, p.usuario_id, r.respuesta
    from public.resenas r join public.profesionales p on p.id = r.profesional_id
    where r.id = ${input.resenaId}`;
  if (!review) throw new AppError("not_found", "Reseña no encontrada");
  if (review.usuario_id !== input.usuarioId) {
    throw new AppError("forbidden", "Solo el profesional reseñado puede responder esta reseña");
  }
  const alreadyAnswered = new AppError("bad_request", "Esta reseña ya tiene una respuesta");
  if (review.respuesta !== null) throw alreadyAnswered;
  // `respuesta is null` in the update too: of two concurrent answers one applies.
  const [row] = await tx<ReviewRow[]>`
    update public.resenas set respuesta = ${input.texto.trim()}, respuesta_at = now(), fecha_actualizacion = now()
    where id = ${review.id} and respuesta is null
    returning ${tx.unsafe(REVIEW_COLUMNS)}`;
  if (!row) throw alreadyAnswered;
  await emitEvent(tx, {
    type: "review.answered",
    aggregateId: row.id,
    producer: "chat-offers",
    payload: {
      resena_id: row.id,
      trabajo_id: row.trabajo_id,
      profesional_id: row.profesional_id,
      profesional_usuario_id: input.usuarioId,
      cliente_id: row.cliente_id,
      rating: row.rating,
    },
  });
  return reviewRead(row);
}

/**
 * A professional's public reviews by profile id (or, for clients that only know it, the account
 * id): 404 "Profesional no encontrado" / "Profesional no disponible" like the public profile.
 */
export async function publicReviews(tx: Tx, id: string): Promise<ResenaPublic[]> {
  const [pro] = await tx<{ id: string; visible: boolean }[]>`
    select p.id, (p.estado_verificacion = 'APROBADO' and u.is_active) as visible
    from public.profesionales p join public.usuarios u on u.id = p.usuario_id
    where p.id = ${id} or p.usuario_id = ${id}
    order by (p.id = ${id}) desc limit 1`;
  if (!pro) throw new AppError("not_found", "Profesional no encontrado");
  if (!pro.visible) throw new AppError("not_found", "Profesional no disponible");
  const rows = await tx<PublicReviewRow[]>`select * from public.resenas_publicas(${pro.id}, 1000)`;
  return rows.map(publicReviewRead);
}

function reviewRead(r: ReviewRow): ResenaRead {
  const created = r.fecha_creacion.toISOString();
  return {
    id: r.id,
    trabajo_id: r.trabajo_id,
    cliente_id: r.cliente_id,
    profesional_id: r.profesional_id,
    rating: r.rating,
    texto_resena: r.texto_resena,
    comentario: r.texto_resena,
    respuesta: r.respuesta,
    respuesta_at: r.respuesta_at?.toISOString() ?? null,
    fecha_creacion: created,
    fecha_actualizacion: r.fecha_actualizacion.toISOString(),
    created_at: created,
  };
}

/** The monolith's message: Python prints the float, so 5 reads "5.0" and 4.67 "4.67". */
export function createdMessage(promedio: number, total: number): string {
  const x = Number.isInteger(promedio) ? promedio.toFixed(1) : String(promedio);
  return `Reseña creada exitosamente. El profesional ahora tiene un rating de ${x} estrellas (${total} reseñas).`;
}
