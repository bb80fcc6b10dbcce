import type { ChatOffersConfig } from "./config.ts";
import type { Db, Tx } from "../../shared/db.ts";
import { emitEvent } from "../../shared/events.ts";
import type { Logger } from "../../shared/log.ts";
import { type JobAction, SYSTEM, transitionJob } from "./job-transitions.ts";

/**
 * The marketplace's timers, run by a scheduled sweep (routes/sweep.ts): offers past their
 * `fecha_expiracion` → EXPIRADO; unpaid jobs past JOB_UNPAID_EXPIRY_HOURS → CANCELADO
 * (job.expired); completed jobs past JOB_AUTO_APPROVE_DAYS without an open dispute → APROBADO with
 * the release (job.approved + job.auto_approved); and one reminder JOB_REMINDER_HOURS before each
 * job deadline. Safe to run twice at once: offers move in one `update … for update skip locked`
 * statement, each job in its own transaction that re-selects it `for update skip locked` with the
 * deadline condition (then `transitionJob`'s `where estado = $expected`), and reminders are rows
 * with a primary key (the insert that wins emits). `now` is injectable so tests move the clock.
 *
 * @example
 * const report = await runTimers({ db, settings: timerSettings(config) }, { now: new Date() });
 * report.trabajos_aprobados; // 1
 */
export type TimerSettings = {
  unpaidExpiryHours: number;
  autoApproveDays: number;
  reminderHours: number;
  batchSize: number;
};
export type TimerReport = {
  ofertas_expiradas: number;
  trabajos_expirados: number;
  trabajos_aprobados: number;
  recordatorios: number;
  errores: number;
};

export function timerSettings(config: ChatOffersConfig): TimerSettings {
  return {
    unpaidExpiryHours: config.JOB_UNPAID_EXPIRY_HOURS,
    autoApproveDays: config.JOB_AUTO_APPROVE_DAYS,
    reminderHours: config.JOB_REMINDER_HOURS,
    batchSize: config.JOB_TIMERS_BATCH_SIZE,
  };
}

const HOUR = 3_600_000;

export async function runTimers(
  deps: { db: Db; settings: TimerSettings; log?: Logger },
  options: { now?: Date } = {},
): Promise<TimerReport> {
  const now = options.now ?? new Date();
  const s = deps.settings;
  const unpaidCutoff = new Date(now.getTime() - s.unpaidExpiryHours * HOUR);
  const approveCutoff = new Date(now.getTime() - s.autoApproveDays * 24 * HOUR);
  const report: TimerReport = {
    ofertas_expiradas: await expireOffers(deps.db, now, s.batchSize),
    trabajos_expirados: 0,
    trabajos_aprobados: 0,
    recordatorios: 0,
    errores: 0,
  };
  const jobs: { kind: "expire" | "approve"; ids: string[] }[] = [
    { kind: "expire", ids: await dueJobs(deps.db, "expire", unpaidCutoff, s.batchSize) },
    { kind: "approve", ids: await dueJobs(deps.db, "approve", approveCutoff, s.batchSize) },
  ];
  for (const { kind, ids } of jobs) {
    for (const id of ids) {
      try {
        const acted = await deps.db.asService((tx) =>
          actOnJob(tx, kind, id, kind === "expire" ? unpaidCutoff : approveCutoff)
        );
        if (acted && kind === "expire") report.trabajos_expirados++;
        if (acted && kind === "approve") report.trabajos_aprobados++;
      } catch (error) {
        // One bad job (e.g. no escrow to release) must not stop the others; the next sweep retries it.
        report.errores++;
        deps.log?.warn("job timer failed", { trabajo_id: id, kind, error: String(error) });
      }
    }
  }
  const reminderAhead = new Date(now.getTime() + s.reminderHours * HOUR);
  report.recordatorios = await deps.db.asService((tx) =>
    sendReminders(tx, {
      paymentBefore: new Date(reminderAhead.getTime() - s.unpaidExpiryHours * HOUR),
      paymentAfter: unpaidCutoff,
      approvalBefore: new Date(reminderAhead.getTime() - s.autoApproveDays * 24 * HOUR),
      approvalAfter: approveCutoff,
      limit: s.batchSize,
      paymentMs: s.unpaidExpiryHours * HOUR,
      approvalMs: s.autoApproveDays * 24 * HOUR,
    })
  );
  return report;
}

/** OFERTADO past its expiry → EXPIRADO (answered at its expiry instant), one offer.expired each. */
async function expireOffers(db: Db, now: Date, limit: number): Promise<number> {
  return await db.asService(async (tx) => {
    const rows = await tx<
      { id: string; chat_id: string; cliente_id: string; profesional_id: string; precio_final: string }[]
    >`
      update public.ofertas o set estado = 'EXPIRADO', fecha_respuesta = o.fecha_expiracion,
        fecha_actualizacion = now()
      where o.id in (
        select id from public.ofertas
        where estado = 'OFERTADO' and fecha_expiracion <= ${now}
        order by fecha_expiracion limit ${limit}
        for update skip locked)
        and o.estado = 'OFERTADO'
      returning o.id, o.chat_id, o.cliente_id, o.profesional_id, o.precio_final::text as precio_final`;
    for (const o of rows) {
      await emitEvent(tx, {
        type: "offer.expired",
        aggregateId: o.id,
        producer: "chat-offers",
        payload: {
          oferta_id: o.id,
          chat_id: o.chat_id,
          cliente_id: o.cliente_id,
          profesional_id: o.profesional_id,
          precio_final: Number(o.precio_final),
        },
      });
    }
    return rows.length;
  });
}

const DUE = {
  // Not while MercadoPago still has a payment of it under way (a card in review, say): cancelled
  // now, its approval would charge the client for a job that no longer exists. It expires once
  // that payment is rejected, or is PAGADO once approved.
  expire: (tx: Tx, cutoff: Date) =>
    tx`t.estado = 'PENDIENTE_PAGO' and t.fecha_creacion <= ${cutoff}
      and not exists (select 1 from public.pagos p where p.trabajo_id = t.id
        and p.status in ('pending', 'in_process', 'authorized'))`,
  approve: (tx: Tx, cutoff: Date) =>
    tx`t.estado = 'COMPLETADO' and coalesce(t.fecha_fin, t.fecha_actualizacion) <= ${cutoff}
      and not exists (select 1 from public.disputas d where d.trabajo_id = t.id and d.estado = 'ABIERTA')`,
};

function dueJobs(db: Db, kind: keyof typeof DUE, cutoff: Date, limit: number): Promise<string[]> {
  return db.asService(async (tx) => {
    const rows = await tx<{ id: string }[]>`
      select t.id from public.trabajos t where ${DUE[kind](tx, cutoff)}
      order by t.fecha_creacion limit ${limit}`;
    return rows.map((r) => r.id);
  });
}

/** Re-checks the deadline under a skip-locked row lock, then moves the job; false = not due any more. */
async function actOnJob(tx: Tx, kind: keyof typeof DUE, id: string, cutoff: Date): Promise<boolean> {
  const [due] = await tx<{ id: string }[]>`
    select t.id from public.trabajos t where t.id = ${id} and ${DUE[kind](tx, cutoff)}
    for update of t skip locked`;
  if (!due) return false;
  const action: JobAction = kind === "expire" ? "expirar" : "aprobar_auto";
  const done = await transitionJob(tx, {
    jobId: id,
    action,
    actor: SYSTEM,
    motivo: kind === "expire" ? "Venció el plazo de pago" : null,
  });
  if (kind === "approve") {
    await emitEvent(tx, {
      type: "job.auto_approved",
      aggregateId: id,
      producer: "chat-offers",
      payload: {
        trabajo_id: id,
        oferta_id: done.job.oferta_id,
        chat_id: done.job.chat_id,
        cliente_id: done.job.cliente_id,
        profesional_id: done.job.profesional_id,
        precio_final: Number(done.job.precio_final),
        monto_liberado: done.release?.monto_liberado ?? null,
        comision: done.release?.comision ?? null,
      },
    });
  }
  return true;
}

/**
 * One reminder per job and kind inside the window [deadline − JOB_REMINDER_HOURS, deadline):
 * `insert … on conflict do nothing returning` decides who sends it.
 */
async function sendReminders(
  tx: Tx,
  w: {
    paymentBefore: Date;
    paymentAfter: Date;
    approvalBefore: Date;
    approvalAfter: Date;
    limit: number;
    paymentMs: number;
    approvalMs: number;
  },
): Promise<number> {
  const rows = await tx<
    {
      trabajo_id: string;
      tipo: string;
      cliente_id: string;
      profesional_id: string;
      precio_final: string;
      chat_id: string | null;
      base: Date;
    }[]
  >`
    with due as (
      select t.id, 'PAGO_PENDIENTE' as tipo, t.fecha_creacion as base from public.trabajos t
      where t.estado = 'PENDIENTE_PAGO' and t.fecha_creacion <= ${w.paymentBefore}
        and t.fecha_creacion > ${w.paymentAfter}
      union all
      select t.id, 'APROBACION_PENDIENTE', coalesce(t.fecha_fin, t.fecha_actualizacion) from public.trabajos t
      where t.estado = 'COMPLETADO' and coalesce(t.fecha_fin, t.fecha_actualizacion) <= ${w.approvalBefore}
        and coalesce(t.fecha_fin, t.fecha_actualizacion) > ${w.approvalAfter}
        and not exists (select 1 from public.disputas d where d.trabajo_id = t.id and d.estado = 'ABIERTA')
      limit ${w.limit}
    ), sent as (
      insert into public.trabajo_recordatorios (trabajo_id, tipo)
      select id, tipo from due
      on conflict do nothing
      returning trabajo_id, tipo
    )
    select s.trabajo_id, s.tipo, t.cliente_id, t.profesional_id, t.precio_final::text as precio_final, t.chat_id,
      d.base
    from sent s join public.trabajos t on t.id = s.trabajo_id join due d on d.id = s.trabajo_id and d.tipo = s.tipo`;
  for (const r of rows) {
    const payment = r.tipo === "PAGO_PENDIENTE";
    const deadline = new Date(new Date(r.base).getTime() + (payment ? w.paymentMs : w.approvalMs));
    await emitEvent(tx, {
      type: payment ? "job.payment_reminder" : "job.approval_reminder",
      aggregateId: r.trabajo_id,
      producer: "chat-offers",
      payload: {
        trabajo_id: r.trabajo_id,
        chat_id: r.chat_id,
        cliente_id: r.cliente_id,
        profesional_id: r.profesional_id,
        precio_final: Number(r.precio_final),
        vence_el: deadline.toISOString(),
      },
    });
  }
  return rows.length;
}
