import { z } from "zod";
import type { Tx } from "../../shared/db.ts";
import type { Storage } from "../../shared/storage.ts";
import { KYC_STATES, type KycState } from "./kyc.ts";
import { entityId, isoOrNull, timestamp } from "./wire.ts";

/**
 * What admins and professionals read about KYC. Documents sit in the private `kyc` bucket: an
 * admin gets each as a signed URL valid for `KYC_SIGNED_URL_TTL_SECONDS`; nobody gets a path.
 */
type DocumentRow = {
  id: string;
  profesional_id: string;
  envio_id: string;
  nombre_archivo: string;
  content_type: string;
  tamano_bytes: number | null;
  storage_path: string | null;
  url_externa: string | null;
  fecha_creacion: Date;
};

/** Metadata only (the professional's own view of what they sent). */
export const kycDocumentSchema = z.object({
  id: entityId,
  envio_id: entityId.describe("The submission the document was sent in"),
  nombre_archivo: z.string(),
  content_type: z.string(),
  tamano_bytes: z.int().nullable().describe("null for a document sent as a URL"),
  fecha_creacion: timestamp,
}).meta({ id: "KycDocumentRead" });

type KycDocument = z.infer<typeof kycDocumentSchema>;

export function documentInfo(d: DocumentRow): KycDocument {
  return {
    id: d.id,
    envio_id: d.envio_id,
    nombre_archivo: d.nombre_archivo,
    content_type: d.content_type,
    tamano_bytes: d.tamano_bytes,
    fecha_creacion: d.fecha_creacion.toISOString(),
  };
}

export async function documentsOf(tx: Tx, profileId: string): Promise<KycDocument[]> {
  const rows = await tx<DocumentRow[]>`
    select * from public.kyc_documentos where profesional_id = ${profileId} order by fecha_creacion desc, id`;
  return rows.map(documentInfo);
}

type QueueRow = {
  id: string;
  usuario_id: string;
  email: string;
  nombre: string;
  apellido: string;
  fecha_creacion: Date;
  estado_verificacion: KycState;
  kyc_fecha_envio: Date | null;
};

/** A document as an admin reads it: a short-lived signed URL (or the URL the professional gave). */
const reviewDocumentSchema = kycDocumentSchema.extend({
  url: z.string().nullable(),
  expira_en: timestamp.nullable().describe("When the signed URL expires; null for an external URL"),
}).meta({ id: "KycReviewDocument" });

export const reviewQueueItemSchema = z.object({
  id: entityId.describe("Profile id"),
  usuario_id: entityId,
  email: z.string(),
  nombre: z.string(),
  apellido: z.string(),
  fecha_creacion: timestamp,
  estado_verificacion: z.enum(KYC_STATES),
  fecha_envio: timestamp.nullable(),
  documentos: z.array(reviewDocumentSchema).describe("The latest submission's documents"),
}).meta({ id: "ProfessionalPendingReview" });

type ReviewQueueItem = z.infer<typeof reviewQueueItemSchema>;

/**
 * ProfessionalPendingReview items (+ `estado_verificacion`, the latest submission's documents as
 * signed URLs). `states` in priority order: EN_REVISION first, oldest submission first.
 * Runs as the admin: RLS lets admins read every profile, account and document.
 */
export async function reviewQueue(
  tx: Tx,
  options: { states: KycState[]; storage: Storage; ttlSeconds: number; limit?: number },
): Promise<ReviewQueueItem[]> {
  const pros = await tx<QueueRow[]>`
    select p.id, p.usuario_id, u.email, u.nombre, u.apellido, p.fecha_creacion, p.estado_verificacion,
      p.kyc_fecha_envio
    from public.profesionales p join public.usuarios u on u.id = p.usuario_id
    where p.estado_verificacion = any(${options.states}::public.verification_status[])
    order by array_position(${options.states}::public.verification_status[], p.estado_verificacion),
      coalesce(p.kyc_fecha_envio, p.fecha_creacion), p.id
    limit ${options.limit ?? 500}`;
  if (pros.length === 0) return [];
  const docs = await tx<DocumentRow[]>`
    select d.* from public.kyc_documentos d
    where d.profesional_id = any(${pros.map((p) => p.id)}::uuid[])
      and d.envio_id = (select d2.envio_id from public.kyc_documentos d2
                        where d2.profesional_id = d.profesional_id order by d2.fecha_creacion desc limit 1)
    order by d.fecha_creacion, d.id`;
  const expires = new Date(Date.now() + options.ttlSeconds * 1000);
  const signed = await Promise.all(docs.map(async (d) => ({
    ...documentInfo(d),
    url: d.storage_path
      ? await options.storage.signedUrl("kyc", d.storage_path, options.ttlSeconds)
      : d.url_externa,
    expira_en: d.storage_path ? expires.toISOString() : null,
  })));
  return pros.map((p) => ({
    id: p.id,
    usuario_id: p.usuario_id,
    email: p.email,
    nombre: p.nombre,
    apellido: p.apellido,
    fecha_creacion: p.fecha_creacion.toISOString(),
    estado_verificacion: p.estado_verificacion,
    fecha_envio: isoOrNull(p.kyc_fecha_envio),
    documentos: signed.filter((_, i) => docs[i].profesional_id === p.id),
  }));
}
