import {
  type Category,
  type Draft,
  field,
  fullName,
  ids,
  money,
  type Rule,
  type RuleContext,
} from "./rule-kit.ts";

/**
 * The jobs' timers and disputes (chat-offers): expired offers and unpaid jobs, automatic
 * approvals, reminders before each deadline, and disputes opened, written in and resolved.
 * People are `usuarios.id` (`cliente_id`, `profesional_id`, `abierta_por`, `autor_id`).
 */
const ALL: Draft["channels"] = ["in_app", "email", "push"];
const LINKS = ["oferta_id", "trabajo_id", "chat_id", "disputa_id"];
type Text = { tipo: string; titulo: string; mensaje: string };

async function to(ctx: RuleContext, ids_: (string | undefined)[], categoria: Category, text: Text) {
  const drafts: Draft[] = [];
  for (const id of new Set(ids_.filter((x): x is string => !!x))) {
    const person = await ctx.person(id);
    if (!person) continue;
    drafts.push({
      to: person.id,
      categoria,
      ...text,
      channels: ALL,
      data: ids(ctx.payload, ...LINKS),
      email: { action: { label: "Ver en ConectarProfesionales", url: ctx.links.frontend } },
    });
  }
  return drafts;
}
const client = (ctx: RuleContext) => field(ctx.payload, "cliente_id");
const pro = (ctx: RuleContext) => field(ctx.payload, "profesional_id");
const price = (ctx: RuleContext) => money(field(ctx.payload, "precio_final", "precio", "monto"));
const day = (ctx: RuleContext) => {
  const iso = field(ctx.payload, "vence_el");
  const date = iso ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime())
    ? ` el ${date.toLocaleString("es-AR", { timeZone: "America/Argentina/Buenos_Aires" })}`
    : " pronto";
};

const offerExpired: Rule = async (ctx) => [
  ...await to(ctx, [pro(ctx)], "ofertas", {
    tipo: "OFERTA_EXPIRADA",
    titulo: "Oferta vencida",
    mensaje: `Tu oferta${
      price(ctx) ? ` de ${price(ctx)}` : ""
    } venció sin respuesta. Podés enviar una nueva.`,
  }),
  ...await to(ctx, [client(ctx)], "ofertas", {
    tipo: "OFERTA_EXPIRADA",
    titulo: "Oferta vencida",
    mensaje: `Venció una oferta${price(ctx) ? ` de ${price(ctx)}` : ""} que no respondiste.`,
  }),
];

const jobExpired: Rule = (ctx) =>
  to(ctx, [client(ctx), pro(ctx)], "trabajos", {
    tipo: "TRABAJO_VENCIDO",
    titulo: "Trabajo cancelado por falta de pago",
    mensaje: `El trabajo${price(ctx) ? ` de ${price(ctx)}` : ""} se canceló porque no se pagó a tiempo.`,
  });

const jobAutoApproved: Rule = (ctx) =>
  to(ctx, [client(ctx)], "trabajos", {
    tipo: "TRABAJO_APROBADO_AUTOMATICAMENTE",
    titulo: "Trabajo aprobado automáticamente",
    mensaje: "Pasó el plazo para revisar el trabajo sin reclamos, así que lo aprobamos y liberamos el pago " +
      "al profesional. Ya podés dejar tu reseña.",
  });

const paymentReminder: Rule = (ctx) =>
  to(ctx, [client(ctx)], "pagos", {
    tipo: "RECORDATORIO_PAGO",
    titulo: "Tu trabajo espera el pago",
    mensaje: `Aceptaste una oferta${price(ctx) ? ` de ${price(ctx)}` : ""} y todavía no la pagaste. ` +
      `Si no se paga, el trabajo se cancela${day(ctx)}.`,
  });

const approvalReminder: Rule = (ctx) =>
  to(ctx, [client(ctx)], "trabajos", {
    tipo: "RECORDATORIO_APROBACION",
    titulo: "Revisá el trabajo terminado",
    mensaje:
      "El profesional marcó el trabajo como terminado. Aprobalo o abrí una disputa si hay un problema: " +
      `si no, se aprobará automáticamente${day(ctx)}.`,
  });

const disputeOpened: Rule = async (ctx) => {
  const by = field(ctx.payload, "abierta_por");
  const other = by === client(ctx) ? pro(ctx) : client(ctx);
  const name = fullName(await ctx.person(by), "Una de las partes");
  const admins = await ctx.admins();
  return [
    ...await to(ctx, [other], "trabajos", {
      tipo: "DISPUTA_ABIERTA",
      titulo: "Se abrió una disputa",
      mensaje:
        `${name} abrió una disputa sobre el trabajo. El pago queda retenido hasta que la resolvamos; ` +
        "podés responder en la disputa.",
    }),
    ...await to(ctx, admins.map((a) => a.id), "trabajos", {
      tipo: "DISPUTA_ABIERTA_ADMIN",
      titulo: "Nueva disputa para revisar",
      mensaje: `${name} abrió una disputa${price(ctx) ? ` sobre un trabajo de ${price(ctx)}` : ""}.`,
    }),
  ];
};

const disputeMessage: Rule = async (ctx) => {
  const author = field(ctx.payload, "autor_id");
  const name = fullName(await ctx.person(author), "Alguien");
  const preview = field(ctx.payload, "preview") ?? "";
  return to(ctx, [client(ctx), pro(ctx)].filter((id) => id !== author), "trabajos", {
    tipo: "DISPUTA_MENSAJE",
    titulo: `Mensaje en la disputa de ${name}`,
    mensaje: preview || "Hay un mensaje nuevo en la disputa.",
  });
};

const OUTCOME: Record<string, (ctx: RuleContext) => string> = {
  LIBERAR: () => "se liberó el pago al profesional",
  REEMBOLSO_TOTAL: (ctx) =>
    `se reembolsa${
      money(field(ctx.payload, "monto_reembolso"))
        ? `n ${money(field(ctx.payload, "monto_reembolso"))}`
        : " el pago"
    } al cliente`,
  REEMBOLSO_PARCIAL: (ctx) =>
    `se reembolsan ${money(field(ctx.payload, "monto_reembolso"))} al cliente y se liberan ${
      money(field(ctx.payload, "monto_liberado"))
    } al profesional`,
};
const disputeResolved: Rule = (ctx) => {
  const outcome = OUTCOME[field(ctx.payload, "resolucion") ?? ""]?.(ctx) ?? "se cerró";
  const nota = field(ctx.payload, "nota");
  return to(ctx, [client(ctx), pro(ctx)], "trabajos", {
    tipo: "DISPUTA_RESUELTA",
    titulo: "Disputa resuelta",
    mensaje: `Resolvimos la disputa: ${outcome}.${nota ? ` Nota: ${nota}` : ""}`,
  });
};

export const DISPUTE_RULES: Readonly<Record<string, Rule>> = {
  "offer.expired": offerExpired,
  "job.expired": jobExpired,
  "job.auto_approved": jobAutoApproved,
  "job.payment_reminder": paymentReminder,
  "job.approval_reminder": approvalReminder,
  "dispute.opened": disputeOpened,
  "dispute.message": disputeMessage,
  "dispute.resolved": disputeResolved,
};
