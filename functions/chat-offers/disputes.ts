import type { AuthUser } from "../../shared/auth-user.ts";
import type { Db, Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { emitEvent } from "../../shared/events.ts";
import type { Storage } from "../../shared/storage.ts";
import { checkImage } from "./image-upload.ts";
import type { DisputeMessageRead, Resolucion } from "./dispute-schemas.ts";
import { type JobAction, type Transitioned, transitionJob } from "./job-transitions.ts";

/**
 * The dispute use cases: either party of a paid job opens one (which freezes the job's money,
 * see dispute-guard.ts), the parties and the admins exchange messages and evidence, and an admin
 * resolves it — release, full refund or partial refund — through the jobs' transition, which
 * calls payments' SQL interface (escrow_liberar / escrow_solicitar_reembolso) in the same
 * transaction. The dispute row is locked and must still be ABIERTA, so of two admins resolving at
 * once exactly one acts; the other gets 409.
 */
const DISPUTABLE = ["PAGADO", "EN_PROCESO", "COMPLETADO"];
const MAX_EVIDENCE = 10;

type JobRow = {
  id: string;
  cliente_id: string;
  profesional_id: string;
  estado: string;
  precio_final: string;
};
type DisputeRow = {
  id: string;
  trabajo_id: string;
  cliente_id: string;
  profesional_id: string;
  estado: string;
  evidencia: string[];
};

const partyOf = (row: { cliente_id: string; profesional_id: string }, userId: string) =>
  row.cliente_id === userId || row.profesional_id === userId;

export function openDispute(
  db: Db,
  user: AuthUser,
  input: { trabajo_id: string; motivo: string; descripcion: string },
): Promise<string> {
  return db.asService(async (tx) => {
    // Locked: an approval or cancellation at the same instant either sees this dispute or wins first.
    const [job] = await tx<JobRow[]>`
      select id, cliente_id, profesional_id, estado::text as estado, precio_final::text as precio_final
      from public.trabajos where id = ${input.trabajo_id} for update`;
    if (!job || !partyOf(job, user.id)) throw new AppError("not_found", "Trabajo no encontrado");
    if (!DISPUTABLE.includes(job.estado)) {
      throw new AppError(
        "bad_request",
        `No se puede abrir una disputa sobre un trabajo en estado ${job.estado}. ` +
          "Debe estar en estado PAGADO, EN_PROCESO o COMPLETADO.",
      );
    }
    const [row] = await tx<{ id: string }[]>`
      insert into public.disputas (trabajo_id, cliente_id, profesional_id, abierta_por, motivo, descripcion)
      values (${job.id}, ${job.cliente_id}, ${job.profesional_id}, ${user.id}, ${input.motivo}, ${input.descripcion})
      on conflict (trabajo_id) where estado = 'ABIERTA' do nothing
      returning id`;
    if (!row) throw new AppError("conflict", "Este trabajo ya tiene una disputa abierta");
    await emitEvent(tx, {
      type: "dispute.opened",
      aggregateId: row.id,
      producer: "chat-offers",
      payload: {
        disputa_id: row.id,
        trabajo_id: job.id,
        cliente_id: job.cliente_id,
        profesional_id: job.profesional_id,
        abierta_por: user.id,
        motivo: input.motivo,
        precio_final: Number(job.precio_final),
      },
    });
    return row.id;
  });
}

/** The dispute, locked, if the caller may act on it (a party, or an admin when `admins`); else 404. */
async function lockDispute(tx: Tx, id: string, user: AuthUser, admins: boolean): Promise<DisputeRow> {
  const [d] = await tx<DisputeRow[]>`
    select id, trabajo_id, cliente_id, profesional_id, estado, evidencia from public.disputas
    where id = ${id} for update`;
  if (!d || !(partyOf(d, user.id) || (admins && user.rol === "ADMIN"))) {
    throw new AppError("not_found", "Disputa no encontrada");
  }
  return d;
}

const refuseClosed = (d: DisputeRow) => {
  if (d.estado !== "ABIERTA") throw new AppError("bad_request", "La disputa ya fue resuelta");
};

export function addDisputeMessage(
  db: Db,
  user: AuthUser,
  id: string,
  texto: string,
): Promise<DisputeMessageRead> {
  return db.asService(async (tx) => {
    const d = await lockDispute(tx, id, user, true);
    refuseClosed(d);
    const [m] = await tx<{ id: string; created_at: Date; autor_nombre: string }[]>`
      insert into public.disputa_mensajes (disputa_id, autor_id, texto) values (${id}, ${user.id}, ${texto})
      returning id, created_at,
        (select trim(nombre || ' ' || apellido) from public.usuarios where id = ${user.id}) as autor_nombre`;
    await tx`update public.disputas set fecha_actualizacion = now() where id = ${id}`;
    await emitEvent(tx, {
      type: "dispute.message",
      aggregateId: id,
      producer: "chat-offers",
      payload: {
        disputa_id: id,
        trabajo_id: d.trabajo_id,
        cliente_id: d.cliente_id,
        profesional_id: d.profesional_id,
        autor_id: user.id,
        preview: texto.slice(0, 140),
      },
    });
    return {
      id: m.id,
      disputa_id: id,
      autor_id: user.id,
      autor_nombre: m.autor_nombre ?? "",
      autor_rol: user.id === d.cliente_id
        ? "CLIENTE"
        : user.id === d.profesional_id
        ? "PROFESIONAL"
        : "ADMIN",
      texto,
      created_at: m.created_at.toISOString(),
    };
  });
}

/** An evidence image by a party (job-image rules), stored under `trabajos/disputas/<id>/`. */
export function addEvidence(
  db: Db,
  storage: Storage,
  user: AuthUser,
  id: string,
  file: File | undefined,
): Promise<{ url: string; evidencia: string[] }> {
  return db.asService(async (tx) => {
    const d = await lockDispute(tx, id, user, false);
    refuseClosed(d);
    const { file: image, extension, contentType } = await checkImage(file);
    if (d.evidencia.length >= MAX_EVIDENCE) {
      throw new AppError("bad_request", `Una disputa admite hasta ${MAX_EVIDENCE} imágenes`);
    }
    const path = `disputas/${id}/${crypto.randomUUID()}${extension}`;
    await storage.upload("trabajos", path, image, { contentType });
    const url = storage.publicUrl("trabajos", path);
    const [row] = await tx<{ evidencia: string[] }[]>`
      update public.disputas set evidencia = array_append(evidencia, ${url}), fecha_actualizacion = now()
      where id = ${id} returning evidencia`;
    return { url, evidencia: row.evidencia };
  });
}

const ACTION_BY_RESOLUTION: Record<Resolucion, JobAction> = {
  LIBERAR: "resolver_liberar",
  REEMBOLSO_TOTAL: "resolver_reembolso",
  REEMBOLSO_PARCIAL: "resolver_parcial",
};

export function resolveDispute(
  db: Db,
  admin: AuthUser,
  id: string,
  input: { resolucion: Resolucion; monto_reembolso?: number | null; nota: string },
): Promise<Transitioned> {
  return db.asService(async (tx) => {
    const d = await lockDispute(tx, id, admin, true);
    if (d.estado !== "ABIERTA") throw new AppError("conflict", "La disputa ya fue resuelta");
    const [{ saldo }] = await tx<
      { saldo: string }[]
    >`select public.escrow_saldo(${d.trabajo_id})::text as saldo`;
    const held = Number(saldo);
    const partial = input.resolucion === "REEMBOLSO_PARCIAL";
    if (partial && !(input.monto_reembolso && input.monto_reembolso > 0 && input.monto_reembolso < held)) {
      throw new AppError(
        "bad_request",
        `Para un reembolso parcial indicá monto_reembolso mayor a 0 y menor que lo retenido ($${
          held.toFixed(2)
        })`,
      );
    }
    if (!partial && input.monto_reembolso != null) {
      throw new AppError("bad_request", "monto_reembolso solo corresponde a un REEMBOLSO_PARCIAL");
    }
    const monto = partial ? input.monto_reembolso! : input.resolucion === "REEMBOLSO_TOTAL" ? held : null;
    await tx`update public.disputas set estado = 'RESUELTA', resolucion = ${input.resolucion},
        monto_reembolso = ${monto}, nota_resolucion = ${input.nota}, resuelta_por = ${admin.id},
        fecha_resolucion = now(), fecha_actualizacion = now()
      where id = ${id} and estado = 'ABIERTA'`;
    const done = await transitionJob(tx, {
      jobId: d.trabajo_id,
      action: ACTION_BY_RESOLUTION[input.resolucion],
      actor: admin,
      motivo: `Disputa resuelta: ${input.nota}`,
      monto_reembolso: partial ? input.monto_reembolso! : undefined,
    });
    await emitEvent(tx, {
      type: "dispute.resolved",
      aggregateId: id,
      producer: "chat-offers",
      payload: {
        disputa_id: id,
        trabajo_id: d.trabajo_id,
        cliente_id: d.cliente_id,
        profesional_id: d.profesional_id,
        resolucion: input.resolucion,
        monto_reembolso: done.refund?.monto ?? null,
        monto_liberado: done.release?.monto_liberado ?? null,
        nota: input.nota,
      },
    });
    return done;
  });
}
