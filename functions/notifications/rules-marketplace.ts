import {
  type Category,
  type Draft,
  field,
  fullName,
  ids,
  money,
  type Person,
  required,
  type Rule,
  type RuleContext,
} from "./rule-kit.ts";

/**
 * Marketplace events (chat-offers, payments): offers, jobs, money, reviews, messages. Each goes
 * to the other party in-app, by e-mail and by push, as that person's preferences allow.
 * Offers and jobs name people by account id (`cliente_id`, `profesional_id` = `usuarios.id`).
 */
const ALL: Draft["channels"] = ["in_app", "email", "push"];
const LINK_IDS = ["oferta_id", "trabajo_id", "chat_id", "resena_id", "transaccion_id"];

type Text = { tipo: string; titulo: string; mensaje: string };

/** One draft for the person in `payload[recipientKey]`, worded from the other party's name. */
function tell(
  category: Category,
  recipientKey: "cliente_id" | "profesional_id",
  text: (ctx: { payload: Record<string, unknown>; other: string }) => Text,
): Rule {
  const otherKey = recipientKey === "cliente_id" ? "profesional_id" : "cliente_id";
  return async (ctx) => {
    const to = await ctx.person(required(ctx.payload, recipientKey));
    if (!to) return [];
    const other = fullName(
      await ctx.person(field(ctx.payload, otherKey)),
      otherKey === "cliente_id" ? "El cliente" : "El profesional",
    );
    return [draft(ctx, to, category, text({ payload: ctx.payload, other }))];
  };
}

function draft(ctx: RuleContext, to: Person, categoria: Category, text: Text): Draft {
  return {
    to: to.id,
    categoria,
    ...text,
    channels: ALL,
    data: ids(ctx.payload, ...LINK_IDS),
    email: { action: { label: "Ver en ConectarProfesionales", url: ctx.links.frontend } },
  };
}

const price = (p: Record<string, unknown>) => money(field(p, "precio", "precio_final", "monto"));
const amount = (p: Record<string, unknown>) => money(field(p, "monto", "precio_final", "precio"));

const offerCreated = tell("ofertas", "cliente_id", ({ payload, other }) => ({
  tipo: "OFERTA_RECIBIDA",
  titulo: "Nueva oferta recibida",
  mensaje: `${other} te envió una oferta${price(payload) ? ` de ${price(payload)}` : ""}.`,
}));
const offerAccepted = tell("ofertas", "profesional_id", ({ payload, other }) => ({
  tipo: "OFERTA_ACEPTADA",
  titulo: "¡Tu oferta fue aceptada!",
  mensaje: `${other} aceptó tu oferta${price(payload) ? ` de ${price(payload)}` : ""}. ` +
    "Te avisamos cuando se confirme el pago.",
}));
const offerRejected = tell("ofertas", "profesional_id", ({ payload, other }) => ({
  tipo: "OFERTA_RECHAZADA",
  titulo: "Oferta rechazada",
  mensaje: `${other} rechazó tu oferta${price(payload) ? ` de ${price(payload)}` : ""}.`,
}));

/** job.paid → the professional may start; the client gets a receipt. */
const jobPaid: Rule = async (ctx) => {
  const [toPro, toClient] = await Promise.all([
    tell("pagos", "profesional_id", ({ payload, other }) => ({
      tipo: "PAGO_RECIBIDO",
      titulo: "Pago confirmado: podés comenzar",
      mensaje: `${other} pagó ${
        amount(payload) || "el trabajo"
      }. El dinero queda protegido hasta que el trabajo se apruebe.`,
    }))(ctx),
    tell("pagos", "cliente_id", ({ payload }) => ({
      tipo: "PAGO_CONFIRMADO",
      titulo: "Recibimos tu pago",
      mensaje: `Recibimos tu pago${amount(payload) ? ` de ${amount(payload)}` : ""}. ` +
        "Lo retenemos hasta que apruebes el trabajo terminado.",
    }))(ctx),
  ]);
  return [...toPro, ...toClient];
};
const jobStarted = tell("trabajos", "cliente_id", ({ other }) => ({
  tipo: "TRABAJO_INICIADO",
  titulo: "Tu trabajo comenzó",
  mensaje: `${other} comenzó a trabajar en tu pedido.`,
}));
const jobCompleted = tell("trabajos", "cliente_id", ({ other }) => ({
  tipo: "TRABAJO_COMPLETADO",
  titulo: "Trabajo completado",
  mensaje: `${other} marcó el trabajo como terminado. Revisalo y aprobalo para liberar el pago.`,
}));
const jobApproved = tell("trabajos", "profesional_id", ({ payload, other }) => ({
  tipo: "TRABAJO_APROBADO",
  titulo: "¡Trabajo aprobado!",
  mensaje: approvedBy(field(payload, "accion"), other) + " Vamos a liberar tu pago.",
}));

/** Who approved: the client, the timer (no objection in time) or an admin resolving a dispute. */
function approvedBy(accion: string | undefined, client: string): string {
  if (accion === "aprobar_auto") {
    return "El plazo para revisar el trabajo venció sin objeciones: lo aprobamos.";
  }
  if (accion?.startsWith("resolver_")) return "La disputa se resolvió y el trabajo quedó aprobado.";
  return `${client} aprobó el trabajo.`;
}

/** job.cancelled → both parties, except whoever cancelled (`cancelado_por`). */
const jobCancelled: Rule = async (ctx) => {
  const by = field(ctx.payload, "cancelado_por", "cancelled_by");
  const motivo = field(ctx.payload, "motivo", "reason");
  const drafts: Draft[] = [];
  for (const key of ["cliente_id", "profesional_id"] as const) {
    const to = await ctx.person(field(ctx.payload, key));
    if (!to || to.id === by) continue;
    drafts.push(draft(ctx, to, "trabajos", {
      tipo: "TRABAJO_CANCELADO",
      titulo: "Trabajo cancelado",
      mensaje: `El trabajo fue cancelado${motivo ? ` (motivo: ${motivo})` : ""}.` +
        (key === "cliente_id" ? " Si ya habías pagado, te reembolsamos el total." : ""),
    }));
  }
  return drafts;
};
const escrowReleased = tell("pagos", "profesional_id", ({ payload }) => {
  const net = money(field(payload, "monto_neto", "monto_profesional", "monto"));
  return {
    tipo: "PAGO_LIBERADO",
    titulo: "Pago liberado",
    mensaje: `Liberamos ${net || "el pago"} por tu trabajo.`,
  };
});
const paymentRefunded = tell("pagos", "cliente_id", ({ payload }) => ({
  tipo: "PAGO_REEMBOLSADO",
  titulo: "Reembolso procesado",
  mensaje: `Te reembolsamos ${
    amount(payload) || "el pago"
  }. Puede tardar unos días en verse en tu medio de pago.`,
}));

/** review.created `{profesional_id (profile), cliente_id, rating}` → the professional. */
const reviewCreated: Rule = async (ctx) => {
  const account = field(ctx.payload, "profesional_usuario_id") ??
    await ctx.professionalAccount(required(ctx.payload, "profesional_id"));
  const to = await ctx.person(account);
  if (!to) return [];
  const client = fullName(await ctx.person(field(ctx.payload, "cliente_id")), "Un cliente");
  const rating = field(ctx.payload, "rating", "calificacion");
  return [draft(ctx, to, "resenas", {
    tipo: "RESENA_RECIBIDA",
    titulo: "Nueva reseña recibida",
    mensaje: `${client} te calificó${
      rating ? ` con ${rating} ${rating === "1" ? "estrella" : "estrellas"}` : ""
    }.`,
  })];
};

/** message.created `{chat_id, sender_id, recipient_ids | recipient_id, preview}` → recipients. */
const messageCreated: Rule = async (ctx) => {
  const sender = field(ctx.payload, "sender_id", "remitente_id");
  const list = ctx.payload.recipient_ids;
  const recipients = Array.isArray(list)
    ? list.filter((r): r is string => typeof r === "string")
    : [required(ctx.payload, "recipient_id", "destinatario_id")];
  const name = fullName(await ctx.person(sender));
  const preview = (field(ctx.payload, "preview", "text", "contenido") ?? "Tenés un mensaje nuevo").slice(
    0,
    100,
  );
  const drafts: Draft[] = [];
  for (const id of recipients.filter((r) => r !== sender)) {
    const to = await ctx.person(id);
    if (!to) continue;
    drafts.push({
      ...draft(ctx, to, "mensajes", {
        tipo: "MENSAJE_NUEVO",
        titulo: `Nuevo mensaje de ${name}`,
        mensaje: preview,
      }),
      data: { ...ids(ctx.payload, "chat_id"), ...(sender ? { sender_id: sender } : {}) },
    });
  }
  return drafts;
};

export const MARKETPLACE_RULES: Readonly<Record<string, Rule>> = {
  "offer.created": offerCreated,
  "offer.accepted": offerAccepted,
  "offer.rejected": offerRejected,
  "job.paid": jobPaid,
  "job.started": jobStarted,
  "job.completed": jobCompleted,
  "job.approved": jobApproved,
  "job.cancelled": jobCancelled,
  "escrow.released": escrowReleased,
  "payment.refunded": paymentRefunded,
  "review.created": reviewCreated,
  "message.created": messageCreated,
};
