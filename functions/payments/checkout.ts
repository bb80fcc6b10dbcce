// The MercadoPago preference of a job: created the first time its client opens the checkout,
// stored in pago_preferencias and reused afterwards. The idempotency key is derived from the job
// and the request body is deterministic (price, expiry from the job's creation), so two racing
// first calls get the same preference from MercadoPago and store it once.

import type { Db } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { createPreference } from "./mercadopago.ts";
import { type PaymentSettings, requireClient } from "./settings.ts";

export type CheckoutJob = {
  id: string;
  cliente_id: string;
  estado: string;
  precio_final: string;
  descripcion: string;
  fecha_creacion: Date;
  cliente_email: string | null;
  preference_id: string | null;
  init_point: string | null;
};

export type Checkout = { preference_id: string; init_point: string };

/** The job as checkout needs it (service role: the caller has already proven who it is). */
export async function findCheckoutJob(db: Db, jobId: string): Promise<CheckoutJob | null> {
  const [job] = await db.asService((tx) =>
    tx<CheckoutJob[]>`
      select t.id, t.cliente_id, t.estado::text as estado, t.precio_final::text as precio_final, t.descripcion,
        t.fecha_creacion, u.email as cliente_email, p.preference_id, p.init_point
      from public.trabajos t
      left join public.usuarios u on u.id = t.cliente_id
      left join public.pago_preferencias p on p.trabajo_id = t.id
      where t.id = ${jobId}`
  );
  return job ?? null;
}

/** States after payment: a returning buyer is sent to the success page instead of paying twice. */
export const PAID_STATES = new Set(["PAGADO", "EN_PROCESO", "COMPLETADO", "APROBADO"]);

/**
 * The job's preference, created on first use. Only for PENDIENTE_PAGO jobs (400 otherwise);
 * MercadoPago down or not configured → 503 and the job stays payable.
 *
 * @example
 * const { init_point } = await ensurePreference(db, settings, job);
 * return c.redirect(init_point, 302);
 */
export async function ensurePreference(
  db: Db,
  settings: PaymentSettings,
  job: CheckoutJob,
  now = new Date(),
): Promise<Checkout> {
  if (job.estado !== "PENDIENTE_PAGO") {
    throw new AppError("bad_request", `El trabajo no está pendiente de pago. Estado actual: ${job.estado}`);
  }
  if (job.preference_id && job.init_point) {
    return { preference_id: job.preference_id, init_point: job.init_point };
  }
  const expiresAt = new Date(job.fecha_creacion.getTime() + settings.unpaidExpiryMs);
  if (expiresAt <= now) throw new AppError("bad_request", "El plazo para pagar este trabajo venció");
  const created = await createPreference(requireClient(settings), {
    title: "Servicio Profesional",
    description: job.descripcion,
    unitPrice: Number(job.precio_final),
    externalReference: job.id,
    notificationUrl: settings.notificationUrl,
    backUrls: settings.backUrls,
    payerEmail: job.cliente_email ?? undefined,
    expiresAt,
  }, `preference:${job.id}`);
  const [stored] = await db.asService(async (tx) => {
    await tx`
      insert into public.pago_preferencias (trabajo_id, preference_id, init_point, monto, expira_at)
      values (${job.id}, ${created.id}, ${created.initPoint}, ${job.precio_final}::numeric, ${expiresAt})
      on conflict do nothing`;
    return await tx<Checkout[]>`
      select preference_id, init_point from public.pago_preferencias where trabajo_id = ${job.id}`;
  });
  return stored;
}
