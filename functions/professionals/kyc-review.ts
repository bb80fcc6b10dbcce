import type { Tx } from "../../shared/db.ts";
import type { Storage } from "../../shared/storage.ts";
import type { KycState } from "./kyc.ts";

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
export function documentInfo(d: DocumentRow) {
  return {
    id: d.id,
    envio_id: d.envio_id,
    nombre_archivo: d.nombre_archivo,
    content_type: d.content_type,
    tamano_bytes: d.tamano_bytes,
    fecha_creacion: d.fecha_creacion,
  };
}

export async function documentsOf(tx: Tx, profileId: string) {
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

/**
 * ProfessionalPendingReview items (+ `estado_verificacion`, the latest submission's documents as
 * signed URLs). `states` in priority order: EN_REVISION first, oldest submission first.
 * Runs as the admin: RLS lets admins read every profile, account and document.
 */
export async function reviewQueue(
  tx: Tx,
  options: { states: KycState[]; storage: Storage; ttlSeconds: number; limit?: number },
) {
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
    expira_en: d.storage_path ? expires : null,
  })));
  return pros.map((p) => ({
    id: p.id,
    usuario_id: p.usuario_id,
    email: p.email,
    nombre: p.nombre,
    apellido: p.apellido,
    fecha_creacion: p.fecha_creacion,
    estado_verificacion: p.estado_verificacion,
    fecha_envio: p.kyc_fecha_envio,
    documentos: signed.filter((_, i) => docs[i].profesional_id === p.id),
  }));
}
