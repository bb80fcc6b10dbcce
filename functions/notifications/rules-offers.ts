import { type Draft, field, fullName, ids, money, required, type Rule } from "./rule-kit.ts";

/**
 * Offer events added with the offers/jobs core (chat-offers): a withdrawn offer goes to the client
 * it was addressed to. Ids are `usuarios.id` (`cliente_id`, `profesional_id`).
 */
const offerWithdrawn: Rule = async (ctx) => {
  const to = await ctx.person(required(ctx.payload, "cliente_id"));
  if (!to) return [];
  const pro = fullName(await ctx.person(field(ctx.payload, "profesional_id")), "El profesional");
  const price = money(field(ctx.payload, "precio_final", "precio"));
  const draft: Draft = {
    to: to.id,
    tipo: "OFERTA_RETIRADA",
    categoria: "ofertas",
    titulo: "Oferta retirada",
    mensaje: `${pro} retiró la oferta${price ? ` de ${price}` : ""} que te había enviado.`,
    channels: ["in_app", "push"],
    data: ids(ctx.payload, "oferta_id", "chat_id"),
  };
  return [draft];
};

export const OFFER_RULES: Readonly<Record<string, Rule>> = {
  "offer.withdrawn": offerWithdrawn,
};
