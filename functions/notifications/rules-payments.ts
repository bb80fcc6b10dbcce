import { type Draft, field, ids, money, required, type Rule } from "./rule-kit.ts";

/**
 * Payment events (payments): `payment.approved` is the client's receipt with MercadoPago's
 * operation number, in-app only (job.paid already tells both parties by every channel);
 * `payment.rejected` asks the client to try again; `refund.completed` confirms the refund. A
 * payment we could not apply (the job was paid already or cancelled) is returned automatically:
 * `refund.requested` with a `devolucion_id` tells the client, and its `refund.completed` confirms
 * it (a job's refund needs no such notice: its cancellation or dispute told them already).
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

const paymentReturnRequested: Rule = async (ctx) => {
  if (!field(ctx.payload, "devolucion_id")) return [];
  const to = await ctx.person(required(ctx.payload, "cliente_id"));
  if (!to) return [];
  const amount = money(field(ctx.payload, "monto"));
  const why = field(ctx.payload, "motivo");
  return [{
    to: to.id,
    tipo: "PAGO_DEVUELTO",
    categoria: "pagos",
    titulo: "Te devolvemos un pago",
    mensaje: `Recibimos un pago${amount ? ` de ${amount}` : ""} que no podemos aplicar${
      why ? ` (${why.toLowerCase()})` : ""
    }. Te lo devolvemos completo a tu medio de pago; te avisamos cuando MercadoPago lo confirme.`,
    channels: ALL,
    data: ids(ctx.payload, "trabajo_id", "devolucion_id", "mp_payment_id"),
  }];
};

const refundCompleted: Rule = async (ctx) => {
  const to = await ctx.person(required(ctx.payload, "cliente_id"));
  if (!to) return [];
  const amount = money(field(ctx.payload, "monto"));
  const returned = Boolean(field(ctx.payload, "devolucion_id"));
  return [{
    to: to.id,
    tipo: returned ? "PAGO_DEVUELTO" : "PAGO_REEMBOLSADO",
    categoria: "pagos",
    titulo: returned ? "Pago devuelto" : "Reembolso procesado",
    mensaje: `Te ${returned ? "devolvimos" : "reembolsamos"} ${amount || "el pago"}. ` +
      "Puede tardar unos días en verse en tu medio de pago.",
    channels: ALL,
    data: ids(ctx.payload, "trabajo_id", "reembolso_id", "devolucion_id"),
  }];
};

export const PAYMENT_RULES: Readonly<Record<string, Rule>> = {
  "payment.approved": paymentApproved,
  "payment.rejected": paymentRejected,
  "refund.requested": paymentReturnRequested,
  "refund.completed": refundCompleted,
};
