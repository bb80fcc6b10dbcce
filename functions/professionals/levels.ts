import type { Tx } from "../../shared/db.ts";
import { emitEvent } from "../../shared/events.ts";

/**
 * Experience points and levels (API.md "Commission and levels"): +100 when a job is approved
 * (funds released), +50 for a 5★ review, +10 for a 4★ review. The level is the highest one in
 * `public.niveles` whose threshold the points reach; its commission becomes the professional's
 * `tasa_comision_actual` in the same transaction. Every award is recorded once per reason and
 * reference (`profesional_puntos`), so a job announced twice (job.approved and escrow.released)
 * or an event delivered twice counts once.
 */
export const POINTS_PER_JOB = 100;

export function pointsForReview(rating: number): number {
  if (rating === 5) return 50;
  if (rating === 4) return 10;
  return 0;
}

export type Award = {
  /** Profile id or account id of the professional (jobs carry the account id, reviews the profile id). */
  professional: string;
  motivo: "TRABAJO_APROBADO" | "RESENA";
  referencia: string;
  puntos: number;
  eventId?: string;
};

export type AwardResult =
  | { applied: false; reason: "duplicate" | "unknown_professional" }
  | {
    applied: true;
    profesional_id: string;
    puntos: number;
    nivel: string;
    nivel_anterior: string;
    tasa: string;
  };

/** Awards points once per (motivo, referencia); recomputes the level and commission. */
export async function awardPoints(tx: Tx, award: Award): Promise<AwardResult> {
  const [pro] = await tx<{ id: string; usuario_id: string; nivel: string; puntos_experiencia: number }[]>`
    select id, usuario_id, nivel, puntos_experiencia from public.profesionales
    where id = ${award.professional} or usuario_id = ${award.professional}
    for update`;
  if (!pro) return { applied: false, reason: "unknown_professional" };
  const [recorded] = await tx`
    insert into public.profesional_puntos (profesional_id, motivo, referencia, puntos, evento_id)
    values (${pro.id}, ${award.motivo}, ${award.referencia}, ${award.puntos}, ${award.eventId ?? null})
    on conflict (motivo, referencia) do nothing
    returning id`;
  if (!recorded) return { applied: false, reason: "duplicate" };
  const points = pro.puntos_experiencia + award.puntos;
  const [row] = await tx<{ puntos_experiencia: number; nivel: string; tasa_comision_actual: string }[]>`
    update public.profesionales p set
      puntos_experiencia = ${points},
      nivel = n.nivel,
      tasa_comision_actual = n.tasa_comision,
      fecha_actualizacion = now()
    from public.nivel_para_puntos(${points}) n
    where p.id = ${pro.id}
    returning p.puntos_experiencia, p.nivel, p.tasa_comision_actual`;
  if (row.nivel !== pro.nivel) {
    await emitEvent(tx, {
      type: "professional.level_changed",
      aggregateId: pro.id,
      producer: "professionals",
      payload: {
        profesional_id: pro.id,
        usuario_id: pro.usuario_id,
        nivel_anterior: pro.nivel,
        nivel: row.nivel,
        puntos_experiencia: row.puntos_experiencia,
        tasa_comision_actual: Number(row.tasa_comision_actual),
      },
    });
  }
  return {
    applied: true,
    profesional_id: pro.id,
    puntos: row.puntos_experiencia,
    nivel: row.nivel,
    nivel_anterior: pro.nivel,
    tasa: row.tasa_comision_actual,
  };
}

/**
 * A new review moves the running mean (2 decimals, computed in SQL numeric) and the count, unless
 * the review's author already sent the new figures (then those win: they come from the reviews
 * table itself). Called only when the review's award was recorded for the first time.
 */
export async function recordRating(
  tx: Tx,
  profileId: string,
  review: { rating: number; promedio?: number; total?: number },
): Promise<void> {
  if (review.promedio !== undefined && review.total !== undefined) {
    // Events arrive in any order: an older review's figures (fewer reviews) must not overwrite a
    // newer one's.
    await tx`update public.profesionales set rating_promedio = round(${review.promedio}::numeric, 2),
      total_resenas = ${review.total}, fecha_actualizacion = now()
      where id = ${profileId} and total_resenas < ${review.total}`;
    return;
  }
  await tx`update public.profesionales set
      rating_promedio = round((rating_promedio * total_resenas + ${review.rating}) / (total_resenas + 1), 2),
      total_resenas = total_resenas + 1,
      fecha_actualizacion = now()
    where id = ${profileId}`;
}
