import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { emitEvent, trackEmittedEvents } from "../../shared/events.ts";
import { forTheOtherParty } from "./chat-messages.ts";
import { refuseWhileDisputed } from "./dispute-guard.ts";
import { REASON_MAX } from "./marketplace-schemas.ts";

/**
 * The one way a job changes state (compatibility.md §4.3). Each action names who may take it and
 * from which progress states; the change is `update … where id = $1 and estado = $expected`, so
 * of two concurrent actions on one job exactly one applies and the other answers 400 with the
 * state it found. The timeline row, the outbox event and the money (release or refund, through
 * payments' SQL interface) are written in the same transaction. Payment itself (PENDIENTE_PAGO →
 * PAGADO) is payments' call to `public.trabajo_marcar_pagado`, not an action here.
 *
 * Later actions (the timers' expiry and auto-approval, dispute resolutions) add a row to
 * `ACTIONS` with `who: ["sistema"]` and call `transitionJob` with `actor: SYSTEM`.
 *
 * @example
 * const result = await transitionJob(tx, { jobId, action: "aprobar", actor: { id: user.id, rol: user.rol } });
 * result.release?.monto_liberado; // 800
 */
export type Estado = "PENDIENTE_PAGO" | "PAGADO" | "EN_PROCESO" | "COMPLETADO" | "APROBADO" | "CANCELADO";
type Party = "cliente" | "profesional" | "admin" | "sistema";
/** "split": refund `monto_reembolso` of the escrow and release the rest (a dispute's partial refund). */
type Money = "release" | "refund" | "refund-if-paid" | "split" | null;

type ActionRule = {
  who: readonly Party[];
  allowedFrom: readonly Estado[];
  to: Estado;
  event: string;
  money: Money;
  /** How the 400 reads when the job is in another state. */
  wrongState: (job: JobState) => string;
  /** Timeline text. */
  describe: string;
};
export type JobState = {
  id: string;
  cliente_id: string;
  profesional_id: string;
  oferta_id: string;
  chat_id: string | null;
  precio_final: string;
  estado: Estado;
  estado_escrow: string;
  mercadopago_payment_id: string | null;
};

const stateMessage = (verbo: string, from: readonly Estado[]) => (job: JobState) =>
  `No se puede ${verbo} un trabajo en estado ${job.estado}. Debe estar en estado ${from.join(" o ")}.`;
const PAID: readonly Estado[] = ["PAGADO", "EN_PROCESO", "COMPLETADO"];
const monoCancel = (job: JobState) =>
  `No se puede cancelar un trabajo en estado ${job.estado_escrow}. ` +
  "Solo se pueden cancelar trabajos en estado PAGADO_EN_ESCROW.";

export const ACTIONS = {
  /** The professional starts (PUT … {estado: "EN_PROCESO"}). */
  iniciar: {
    who: ["profesional"],
    allowedFrom: ["PAGADO"],
    to: "EN_PROCESO",
    event: "job.started",
    money: null,
    wrongState: stateMessage("iniciar", ["PAGADO"]),
    describe: "El profesional comenzó el trabajo",
  },
  /** The professional finishes (PUT … {estado: "COMPLETADO"}). */
  completar: {
    who: ["profesional"],
    allowedFrom: ["EN_PROCESO"],
    to: "COMPLETADO",
    event: "job.completed",
    money: null,
    wrongState: stateMessage("completar", ["EN_PROCESO"]),
    describe: "El profesional marcó el trabajo como completado",
  },
  /** The client approves a completed job (PUT … {estado: "APROBADO"}): the escrow is released. */
  aprobar: {
    who: ["cliente"],
    allowedFrom: ["COMPLETADO"],
    to: "APROBADO",
    event: "job.approved",
    money: "release",
    wrongState: stateMessage("aprobar", ["COMPLETADO"]),
    describe: "El cliente aprobó el trabajo y se liberó el pago",
  },
  /** The monolith's finalizar: any paid job (escrow PAGADO_EN_ESCROW), no progress gate. */
  finalizar: {
    who: ["cliente"],
    allowedFrom: PAID,
    to: "APROBADO",
    event: "job.approved",
    money: "release",
    wrongState: (job) =>
      `No se puede finalizar un trabajo en estado ${job.estado_escrow}. ` +
      "El trabajo debe estar en estado PAGADO_EN_ESCROW.",
    describe: "El cliente finalizó el trabajo y se liberó el pago",
  },
  /** The frontend's cancel: unpaid without refund, or paid and not yet completed with a refund. */
  cancelar: {
    who: ["cliente", "profesional"],
    allowedFrom: ["PENDIENTE_PAGO", "PAGADO", "EN_PROCESO"],
    to: "CANCELADO",
    event: "job.cancelled",
    money: "refund-if-paid",
    wrongState: stateMessage("cancelar", ["PENDIENTE_PAGO", "PAGADO", "EN_PROCESO"]),
    describe: "Trabajo cancelado",
  },
  /** The monolith's client cancel: only paid jobs (escrow PAGADO_EN_ESCROW), refunded. */
  cancelar_cliente: {
    who: ["cliente"],
    allowedFrom: PAID,
    to: "CANCELADO",
    event: "job.cancelled",
    money: "refund",
    wrongState: monoCancel,
    describe: "El cliente canceló el trabajo",
  },
  /** The admin's cancel (operator): the same rule as the monolith's client cancel. */
  cancelar_admin: {
    who: ["admin"],
    allowedFrom: PAID,
    to: "CANCELADO",
    event: "job.cancelled",
    money: "refund",
    wrongState: monoCancel,
    describe: "Un administrador canceló el trabajo",
  },
  // --- the timers (timers.ts) and dispute resolutions (disputes.ts) ---
  /** An unpaid job past JOB_UNPAID_EXPIRY_HOURS. */
  expirar: {
    who: ["sistema"],
    allowedFrom: ["PENDIENTE_PAGO"],
    to: "CANCELADO",
    event: "job.expired",
    money: null,
    wrongState: stateMessage("expirar", ["PENDIENTE_PAGO"]),
    describe: "El trabajo venció sin pago y se canceló automáticamente",
  },
  /** A completed job past JOB_AUTO_APPROVE_DAYS without an open dispute: released like an approval. */
  aprobar_auto: {
    who: ["sistema"],
    allowedFrom: ["COMPLETADO"],
    to: "APROBADO",
    event: "job.approved",
    money: "release",
    wrongState: stateMessage("aprobar", ["COMPLETADO"]),
    describe: "El trabajo se aprobó automáticamente y se liberó el pago",
  },
  /** An admin resolves a dispute for the professional: everything released. */
  resolver_liberar: {
    who: ["admin"],
    allowedFrom: PAID,
    to: "APROBADO",
    event: "job.approved",
    money: "release",
    wrongState: stateMessage("liberar", PAID),
    describe: "Disputa resuelta: se liberó el pago al profesional",
  },
  /** An admin resolves a dispute for the client: everything refunded. */
  resolver_reembolso: {
    who: ["admin"],
    allowedFrom: PAID,
    to: "CANCELADO",
    event: "job.cancelled",
    money: "refund",
    wrongState: stateMessage("reembolsar", PAID),
    describe: "Disputa resuelta: se reembolsó el pago al cliente",
  },
  /** An admin splits: `monto_reembolso` back to the client, the rest released (job APROBADO). */
  resolver_parcial: {
    who: ["admin"],
    allowedFrom: PAID,
    to: "APROBADO",
    event: "job.approved",
    money: "split",
    wrongState: stateMessage("resolver", PAID),
    describe: "Disputa resuelta: reembolso parcial al cliente y el resto liberado al profesional",
  },
} as const satisfies Record<string, ActionRule>;
export type JobAction = keyof typeof ACTIONS;

/** Who acts: a signed-in user, or the platform itself (timers). */
export type Actor = { id: string; rol: string } | typeof SYSTEM;
export const SYSTEM = { id: null, rol: "SISTEMA" } as const;

export type Transitioned = {
  job: JobState;
  from: Estado;
  release: { monto_liberado: number; comision: number; tasa: number; event_id: string } | null;
  refund: { reembolso_id: string; monto: number } | null;
  eventId: string;
};

const JOB_COLUMNS = `id, cliente_id, profesional_id, oferta_id, chat_id, precio_final::text as precio_final,
  estado::text as estado, estado_escrow::text as estado_escrow, mercadopago_payment_id`;

/** 404 unknown job → 403 not a party (admins pass for admin actions) — the monolith's order. */
export async function locateJob(tx: Tx, jobId: string, actor: Actor, asAdmin = false): Promise<JobState> {
  const [job] = await tx<JobState[]>`select ${
    tx.unsafe(JOB_COLUMNS)
  } from public.trabajos where id = ${jobId}`;
  if (!job) throw new AppError("not_found", "Trabajo no encontrado");
  const party = actor.id === job.cliente_id || actor.id === job.profesional_id;
  if (!party && !(asAdmin && actor.rol === "ADMIN") && actor !== SYSTEM) {
    throw new AppError("forbidden", "Este trabajo no te pertenece");
  }
  return job;
}

function roleIn(job: JobState, actor: Actor): Party | null {
  if (actor === SYSTEM) return "sistema";
  if (actor.id === job.cliente_id) return "cliente";
  if (actor.id === job.profesional_id) return "profesional";
  return actor.rol === "ADMIN" ? "admin" : null;
}

export async function transitionJob(
  tx: Tx,
  input: {
    jobId: string;
    action: JobAction;
    actor: Actor;
    motivo?: string | null;
    /** Money "split" only: what goes back to the client (the rest is released). */
    monto_reembolso?: number;
  },
): Promise<Transitioned> {
  const rule: ActionRule = ACTIONS[input.action];
  const job = await locateJob(tx, input.jobId, input.actor, rule.who.includes("admin"));
  const role = roleIn(job, input.actor);
  if (!role || !rule.who.includes(role)) {
    throw new AppError("forbidden", forbiddenDetail(rule));
  }
  if (!rule.allowedFrom.includes(job.estado)) throw new AppError("bad_request", rule.wrongState(job));
  // A party's reason reaches the other party (the job, its timeline, the notification): contact
  // details masked as in chat until the job is paid.
  const motivo = input.motivo && (role === "cliente" || role === "profesional")
    ? await forTheOtherParty(tx, job, input.motivo, REASON_MAX)
    : input.motivo;
  // An open dispute freezes the money; its resolution closes the dispute before calling here.
  if (rule.money) await refuseWhileDisputed(tx, job.id);

  const paid = job.estado !== "PENDIENTE_PAGO";
  const escrow = rule.to === "APROBADO"
    ? "LIBERADO"
    : rule.to === "CANCELADO"
    ? "CANCELADO_REEMBOLSADO"
    : null;
  const [updated] = await tx<JobState[]>`
    update public.trabajos set
      estado = ${rule.to}::public.trabajo_estado,
      estado_escrow = coalesce(${escrow}::public.escrow_estado, estado_escrow),
      fecha_inicio = case when ${rule.to}::text = 'EN_PROCESO' then now() else fecha_inicio end,
      fecha_fin = case when ${rule.to}::text = 'COMPLETADO' then now() else fecha_fin end,
      fecha_aprobacion = case when ${rule.to}::text = 'APROBADO' then now() else fecha_aprobacion end,
      fecha_cancelacion = case when ${rule.to}::text = 'CANCELADO' then now() else fecha_cancelacion end,
      motivo_cancelacion = case when ${rule.to}::text = 'CANCELADO' then ${
    motivo ?? null
  }::text else motivo_cancelacion end,
      fecha_actualizacion = now()
    where id = ${job.id} and estado = ${job.estado}::public.trabajo_estado
    returning ${tx.unsafe(JOB_COLUMNS)}`;
  if (!updated) {
    // Someone else moved it in between: answer with what it is now.
    const [now] = await tx<JobState[]>`select ${
      tx.unsafe(JOB_COLUMNS)
    } from public.trabajos where id = ${job.id}`;
    throw new AppError("bad_request", rule.wrongState(now));
  }

  let release: Transitioned["release"] = null;
  let refund: Transitioned["refund"] = null;
  if (rule.money === "split") {
    // Refund first (recorded PENDIENTE; the escrow still holds it until MercadoPago confirms),
    // then release exactly the rest.
    const [r] = await tx<{ reembolso_id: string; monto: string; event_id: string }[]>`
      select * from public.escrow_solicitar_reembolso(${job.id}, ${input.monto_reembolso ?? null}::numeric, ${
      motivo ?? rule.describe
    })`;
    trackEmittedEvents(tx, [r.event_id]);
    refund = { reembolso_id: r.reembolso_id, monto: Number(r.monto) };
  }
  if (rule.money === "release" || rule.money === "split") {
    const rest = rule.money === "split"
      ? tx`(public.escrow_saldo(${job.id}) - ${refund!.monto}::numeric)`
      : tx`null`;
    const [r] = await tx<{ monto_liberado: string; comision: string; tasa: string; event_id: string }[]>`
      select * from public.escrow_liberar(${job.id}, ${rest})`;
    trackEmittedEvents(tx, [r.event_id]);
    release = {
      monto_liberado: Number(r.monto_liberado),
      comision: Number(r.comision),
      tasa: Number(r.tasa),
      event_id: r.event_id,
    };
    await tx`update public.trabajos set comision_plataforma = ${r.comision}, monto_liberado = ${r.monto_liberado}
      where id = ${job.id}`;
  } else if (rule.money === "refund" || (rule.money === "refund-if-paid" && paid)) {
    const [r] = await tx<{ reembolso_id: string; monto: string; event_id: string }[]>`
      select * from public.escrow_solicitar_reembolso(${job.id}, null, ${motivo ?? rule.describe})`;
    trackEmittedEvents(tx, [r.event_id]);
    refund = { reembolso_id: r.reembolso_id, monto: Number(r.monto) };
    await tx`update public.trabajos set comision_plataforma = 0, monto_liberado = 0 where id = ${job.id}`;
  }

  await tx`insert into public.trabajo_eventos (trabajo_id, tipo, descripcion, estado_anterior, estado_nuevo, usuario_id, metadata)
    values (${job.id}, 'ESTADO_CAMBIO', ${rule.describe}, ${job.estado}, ${rule.to}, ${input.actor.id},
      ${tx.json({ accion: input.action, ...(motivo ? { motivo } : {}) })})`;
  const eventId = await emitEvent(tx, {
    type: rule.event,
    aggregateId: job.id,
    producer: "chat-offers",
    payload: {
      trabajo_id: job.id,
      oferta_id: job.oferta_id,
      chat_id: job.chat_id,
      cliente_id: job.cliente_id,
      profesional_id: job.profesional_id,
      precio_final: Number(job.precio_final),
      estado_anterior: job.estado,
      estado: rule.to,
      // Which action it was: an approval may be the client's, the timer's or a dispute's.
      accion: input.action,
      ...(release ? { monto_liberado: release.monto_liberado, comision: release.comision } : {}),
      ...(rule.to === "CANCELADO"
        ? { cancelado_por: input.actor.id, motivo: motivo ?? null, reembolso: refund !== null }
        : {}),
    },
  });
  return { job: updated, from: job.estado, release, refund, eventId };
}

function forbiddenDetail(rule: ActionRule): string {
  // "no te pertenece": the monolith's text for anyone but the job's client, which its tests assert.
  if (rule.who.length === 1 && rule.who[0] === "profesional") {
    return "Este cambio no te pertenece: solo el profesional del trabajo puede hacerlo";
  }
  if (rule.who.length === 1 && rule.who[0] === "cliente") {
    return "Este cambio no te pertenece: solo el cliente del trabajo puede hacerlo";
  }
  return "No podés hacer este cambio en el trabajo";
}
