import type { Tx } from "../../shared/db.ts";
import { type EventHandlers, PermanentEventError } from "../../shared/event-receiver.ts";
import type { EventEnvelope } from "../../shared/events.ts";
import { awardPoints, type AwardResult, POINTS_PER_JOB, pointsForReview, recordRating } from "./levels.ts";

/**
 * Events professionals reacts to (delivered by the shared receiver at `POST /professionals/events`,
 * which records each event id in `public.inbox` in the same transaction):
 * - `job.approved` / `escrow.released` → +100 points, once per job;
 * - `review.created` → +50 (5★) / +10 (4★) and the running rating, once per review.
 * `applyEvent` is idempotent on its own too (the points ledger is unique per job / review), so a
 * redelivery or both job events for one job never count twice.
 *
 * Payload keys read (the producers are later issues; aliases keep them free to choose):
 * - professional: `profesional_id` (profile or account id — both are accepted),
 *   `profesional_usuario_id`, `professional_id`;
 * - job: `trabajo_id` | `job_id`, else the aggregate id;
 * - review: `resena_id` | `review_id`, else the aggregate id; `rating` (1–5); optionally the new
 *   `rating_promedio` / `total_resenas` (or `profesional_rating_promedio` / `profesional_total_resenas`).
 */
export async function applyEvent(tx: Tx, event: EventEnvelope): Promise<AwardResult | null> {
  const p = event.payload;
  switch (event.type) {
    case "job.approved":
    case "escrow.released":
      return await awardPoints(tx, {
        professional: professionalOf(event),
        motivo: "TRABAJO_APROBADO",
        referencia: text(p.trabajo_id) ?? text(p.job_id) ?? event.aggregate_id,
        puntos: POINTS_PER_JOB,
        eventId: event.id,
      });
    case "review.created": {
      const rating = Number(p.rating);
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
        throw new PermanentEventError(`review.created sin rating válido (1–5): ${String(p.rating)}`);
      }
      const result = await awardPoints(tx, {
        professional: professionalOf(event),
        motivo: "RESENA",
        referencia: text(p.resena_id) ?? text(p.review_id) ?? event.aggregate_id,
        puntos: pointsForReview(rating),
        eventId: event.id,
      });
      if (result.applied) {
        await recordRating(tx, result.profesional_id, {
          rating,
          promedio: num(p.rating_promedio ?? p.profesional_rating_promedio),
          total: num(p.total_resenas ?? p.profesional_total_resenas),
        });
      }
      return result;
    }
    default:
      return null;
  }
}

/** The handlers to mount with `mountEventReceiver` (types must be subscribed in EVENT_SUBSCRIBERS). */
export const EVENT_HANDLERS: EventHandlers = {
  "job.approved": async (tx, event) => void (await applyEvent(tx, event)),
  "escrow.released": async (tx, event) => void (await applyEvent(tx, event)),
  "review.created": async (tx, event) => void (await applyEvent(tx, event)),
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function professionalOf(event: EventEnvelope): string {
  const p = event.payload;
  const id = text(p.profesional_id) ?? text(p.profesional_usuario_id) ?? text(p.professional_id);
  if (!id || !UUID.test(id)) {
    throw new PermanentEventError(`${event.type} sin profesional_id válido`);
  }
  return id.toLowerCase();
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

function num(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}
