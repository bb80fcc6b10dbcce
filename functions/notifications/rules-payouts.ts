import { type Draft, field, fullName, ids, money, required, type Rule } from "./rule-kit.ts";

/**
 * Withdrawals (payments: payout.*). Payloads name the professional by account id
 * (`usuario_id` = `profesional_id` = usuarios.id), with `retiro_id`, `monto` and, on rejection,
 * `motivo`. The professional hears of every step; admins of each new request, to process it.
 */
const ALL: Draft["channels"] = ["in_app", "email", "push"];

function toProfessional(tipo: string, titulo: string, mensaje: (p: Record<string, unknown>) => string): Rule {
  return async (ctx) => {
    const to = await ctx.person(required(ctx.payload, "usuario_id", "profesional_id"));
    if (!to) return [];
    return [{
      to: to.id,
      tipo,
      categoria: "pagos",
      titulo,
      mensaje: mensaje(ctx.payload),
      channels: ALL,
      data: ids(ctx.payload, "retiro_id"),
      email: { action: { label: "Ver mis pagos", url: ctx.links.frontend } },
    }];
  };
}

const amountOf = (p: Record<string, unknown>) => money(field(p, "monto")) || "el monto solicitado";

/** payout.requested → a receipt to the professional, and the admins are asked to process it. */
const payoutRequested: Rule = async (ctx) => {
  const receipt = await toProfessional(
    "RETIRO_SOLICITADO",
    "Recibimos tu pedido de retiro",
    (p) => `Pediste retirar ${amountOf(p)}. Te avisamos cuando lo aprobemos y transfiramos.`,
  )(ctx);
  const pro = await ctx.person(field(ctx.payload, "usuario_id", "profesional_id"));
  const admins = (await ctx.admins()).map((admin): Draft => ({
    to: admin.id,
    tipo: "RETIRO_PENDIENTE",
    categoria: "pagos",
    titulo: "Nuevo retiro para procesar",
    mensaje: `${fullName(pro, "Un profesional")} pidió retirar ${amountOf(ctx.payload)}.`,
    channels: ["in_app"],
    data: ids(ctx.payload, "retiro_id"),
  }));
  return [...receipt, ...admins];
};

const payoutApproved = toProfessional(
  "RETIRO_APROBADO",
  "Retiro aprobado",
  (p) => `Aprobamos tu retiro de ${amountOf(p)}. La transferencia se hace en los próximos días hábiles.`,
);

const payoutPaid = toProfessional(
  "RETIRO_PAGADO",
  "Te transferimos tu retiro",
  (p) => {
    const destino = field(p, "destino");
    return `Transferimos ${amountOf(p)}${destino ? ` a tu cuenta ${destino}` : " a tu cuenta"}.`;
  },
);

const payoutRejected = toProfessional(
  "RETIRO_RECHAZADO",
  "Retiro rechazado",
  (p) => {
    const motivo = field(p, "motivo");
    return `Rechazamos tu retiro de ${amountOf(p)}${motivo ? ` (motivo: ${motivo})` : ""}. ` +
      "El dinero vuelve a tu saldo disponible.";
  },
);

export const PAYOUT_RULES: Readonly<Record<string, Rule>> = {
  "payout.requested": payoutRequested,
  "payout.approved": payoutApproved,
  "payout.paid": payoutPaid,
  "payout.rejected": payoutRejected,
};
