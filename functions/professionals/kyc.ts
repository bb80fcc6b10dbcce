import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { emitEvent } from "../../shared/events.ts";

/**
 * KYC (`profesionales.estado_verificacion`): the one transition function of the aggregate. Each
 * action names the states it may start from; the state change, the review trail and the event
 * commit together (service connection — API roles cannot write the state).
 *
 *   PENDIENTE | RECHAZADO ──submit──▶ EN_REVISION
 *   any state ──approve (admin)──▶ APROBADO     any state ──reject (admin)──▶ RECHAZADO
 *
 * A professional cannot resubmit while EN_REVISION or APROBADO; admins may override any state.
 */
export const KYC_STATES = ["PENDIENTE", "EN_REVISION", "APROBADO", "RECHAZADO"] as const;
export type KycState = (typeof KYC_STATES)[number];
export type KycAction = "submit" | "approve" | "reject";

export const KYC_TRANSITIONS: Readonly<
  Record<KycAction, { from: readonly KycState[]; to: KycState; event: string }>
> = {
  submit: { from: ["PENDIENTE", "RECHAZADO"], to: "EN_REVISION", event: "kyc.submitted" },
  approve: { from: KYC_STATES, to: "APROBADO", event: "kyc.approved" },
  reject: { from: KYC_STATES, to: "RECHAZADO", event: "kyc.rejected" },
};

export function canTransition(action: KycAction, from: KycState): boolean {
  return KYC_TRANSITIONS[action].from.includes(from);
}

/** The 400 a professional gets when sending documents is not allowed in `state`. */
export function submitRefused(state: KycState): AppError {
  const why = state === "APROBADO"
    ? "tu identidad ya está verificada"
    : "tus documentos ya están en revisión";
  return new AppError("bad_request", `No podés enviar documentos: ${why} (estado ${state})`);
}

export type KycChange = { profesional_id: string; usuario_id: string; from: KycState; to: KycState };

export async function transitionKyc(
  tx: Tx,
  profileId: string,
  action: KycAction,
  details: { reviewerId?: string; reason?: string | null; payload?: Record<string, unknown> } = {},
): Promise<KycChange> {
  const rule = KYC_TRANSITIONS[action];
  const review = action !== "submit";
  // Lock the row, then move it only from an allowed state (no lost update between check and write).
  const [current] = await tx<{ estado_verificacion: KycState }[]>`
    select estado_verificacion from public.profesionales where id = ${profileId} for update`;
  if (!current) throw new AppError("not_found", "Profesional no encontrado");
  if (!canTransition(action, current.estado_verificacion)) throw submitRefused(current.estado_verificacion);
  const [row] = await tx<{ usuario_id: string }[]>`
    update public.profesionales p set
      estado_verificacion = ${rule.to},
      kyc_fecha_envio = ${review ? tx`p.kyc_fecha_envio` : tx`now()`},
      kyc_fecha_revision = ${review ? tx`now()` : tx`p.kyc_fecha_revision`},
      kyc_revisado_por = ${review ? tx`${details.reviewerId ?? null}::uuid` : tx`p.kyc_revisado_por`},
      kyc_motivo_rechazo = ${action === "reject" ? tx`${details.reason ?? null}` : tx`null`},
      -- Approval (re)applies the commission of the professional's level (BRONCE → 0.20).
      tasa_comision_actual = ${
    action === "approve"
      ? tx`coalesce((select n.tasa_comision from public.niveles n where n.nivel = p.nivel), p.tasa_comision_actual)`
      : tx`p.tasa_comision_actual`
  },
      fecha_actualizacion = now()
    where p.id = ${profileId}
    returning p.usuario_id`;
  const change: KycChange = {
    profesional_id: profileId,
    usuario_id: row.usuario_id,
    from: current.estado_verificacion,
    to: rule.to,
  };
  await emitEvent(tx, {
    type: rule.event,
    aggregateId: profileId,
    producer: "professionals",
    payload: {
      profesional_id: profileId,
      usuario_id: row.usuario_id,
      estado_anterior: change.from,
      estado_verificacion: change.to,
      ...(action === "reject" ? { motivo: details.reason ?? null } : {}),
      ...details.payload,
    },
  });
  return change;
}

export type NewDocument = {
  nombre_archivo: string;
  content_type: string;
  tamano_bytes: number | null;
  storage_path: string | null;
  url_externa: string | null;
};

/** Records a submission's documents and moves the profile to EN_REVISION, in the caller's tx. */
export async function submitKyc(tx: Tx, profileId: string, envioId: string, documents: NewDocument[]) {
  const change = await transitionKyc(tx, profileId, "submit", {
    payload: { envio_id: envioId, documentos: documents.length },
  });
  for (const d of documents) {
    await tx`insert into public.kyc_documentos
      (profesional_id, envio_id, nombre_archivo, content_type, tamano_bytes, storage_path, url_externa)
      values (${profileId}, ${envioId}, ${d.nombre_archivo}, ${d.content_type}, ${d.tamano_bytes},
              ${d.storage_path}, ${d.url_externa})`;
  }
  return change;
}
