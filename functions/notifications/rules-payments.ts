import { type Draft, field, ids, money, required, type Rule } from "./rule-kit.ts";

/**
 * Payment events (payments): `payment.approved` is the client's receipt with MercadoPago's
 * operation number, in-app only (job.paid already tells both parties by every channel);
 * `payment.rejected` asks the client to try again; `refund.completed` confirms the refund.
 * Ids are `usuarios.id` (`cliente_id`, `profesional_id`); amounts are `monto`.
 */
const ALL: Draft["channels"] = ["in_app", "email", "push"];

const paymentApproved: Rule = async (ctx) => {
  const to = await ctx.person(required(ctx.payload, "cliente_id"));
  if (!to) return [];
  const amount = money(field(ctx.payload, "monto"));
  const operation = field(ctx.payload, "mp_payment_id");
  return [{
    to: to.id,
    tipo: "COMPROBANTE_PAGO",
    categoria: "pagos",
    titulo: "Comprobante de pago",
    mensaje: `MercadoPago aprobó tu pago${amount ? ` de ${amount}` : ""}` +
      `${operation ? ` (operación ${operation})` : ""}. Lo retenemos hasta que apruebes el trabajo.`,
    channels: ["in_app"],
    data: ids(ctx.payload, "trabajo_id", "mp_payment_id"),
  }];
};

const paymentRejected: Rule = async (ctx) => {
  const to = await ctx.person(required(ctx.payload, "cliente_id"));
  if (!to) return [];
  const amount = money(field(ctx.payload, "monto"));
  return [{
    to: to.id,
    tipo: "PAGO_RECHAZADO",
    categoria: "pagos",
    titulo: "Tu pago no se aprobó",
    mensaje: `MercadoPago no aprobó tu pago${amount ? ` de ${amount}` : ""}. ` +
      "Podés intentarlo otra vez con otro medio de pago desde el trabajo.",
    channels: ALL,
    data: ids(ctx.payload, "trabajo_id"),
    email: { action: { label: "Volver a intentar el pago", url: ctx.links.frontend } },
  }];
};

const refundCompleted: Rule = async (ctx) => {
  const to = await ctx.person(required(ctx.payload, "cliente_id"));
  if (!to) return [];
  const amount = money(field(ctx.payload, "monto"));
  return [{
    to: to.id,
    tipo: "PAGO_REEMBOLSADO",
    categoria: "pagos",
    titulo: "Reembolso procesado",
    mensaje: `Te reembolsamos ${amount || "el pago"}. Puede tardar unos días en verse en tu medio de pago.`,
    channels: ALL,
    data: ids(ctx.payload, "trabajo_id", "reembolso_id"),
  }];
};

export const PAYMENT_RULES: Readonly<Record<string, Rule>> = {
  "payment.approved": paymentApproved,
  "payment.rejected": paymentRejected,
  "refund.completed": refundCompleted,
};
