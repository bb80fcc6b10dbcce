import { type Draft, field, fullName, ids, required, type Rule } from "./rule-kit.ts";

/**
 * Review events added with reviews (chat-offers). `review.answered` `{resena_id, cliente_id,
 * profesional_id (profile id), profesional_usuario_id?}` → the client who wrote the review.
 */
const reviewAnswered: Rule = async (ctx) => {
  const to = await ctx.person(required(ctx.payload, "cliente_id"));
  if (!to) return [];
  const account = field(ctx.payload, "profesional_usuario_id") ??
    await ctx.professionalAccount(field(ctx.payload, "profesional_id"));
  const pro = fullName(await ctx.person(account), "El profesional");
  const draft: Draft = {
    to: to.id,
    tipo: "RESENA_RESPONDIDA",
    categoria: "resenas",
    titulo: "Respondieron tu reseña",
    mensaje: `${pro} respondió a la reseña que dejaste.`,
    channels: ["in_app", "push"],
    data: ids(ctx.payload, "resena_id", "trabajo_id"),
    email: { action: { label: "Ver en ConectarProfesionales", url: ctx.links.frontend } },
  };
  return [draft];
};

export const REVIEW_RULES: Readonly<Record<string, Rule>> = {
  "review.answered": reviewAnswered,
};
