import { type Draft, field, fullName, ids, required, type Rule } from "./rule-kit.ts";

/**
 * Chat events (chat-offers; bans from users): a new chat and new messages go to the other party
 * in the "mensajes" category (chat-offers already debounces `chat.message_sent`, one per burst);
 * a chat ban and its lifting go to the person concerned, in "cuenta".
 * Ids are `usuarios.id` (`cliente_id`, `profesional_id`, `sender_id`, `recipient_id`, `user_id`).
 */
const ALL: Draft["channels"] = ["in_app", "email", "push"];

const chatCreated: Rule = async (ctx) => {
  const to = await ctx.person(required(ctx.payload, "profesional_id"));
  if (!to) return [];
  const client = fullName(await ctx.person(field(ctx.payload, "cliente_id")), "Un cliente");
  return [{
    to: to.id,
    tipo: "CHAT_NUEVO",
    categoria: "mensajes",
    titulo: "Nueva conversación",
    mensaje: `${client} abrió un chat con vos. Respondé pronto para no perder el trabajo.`,
    channels: ["in_app", "push"],
    data: ids(ctx.payload, "chat_id", "cliente_id"),
  }];
};

const messageSent: Rule = async (ctx) => {
  const sender = field(ctx.payload, "sender_id");
  const to = await ctx.person(required(ctx.payload, "recipient_id"));
  if (!to || to.id === sender) return [];
  const name = fullName(await ctx.person(sender));
  const preview = (field(ctx.payload, "preview") ?? "Tenés un mensaje nuevo").slice(0, 100);
  return [{
    to: to.id,
    tipo: "MENSAJE_NUEVO",
    categoria: "mensajes",
    titulo: `Nuevo mensaje de ${name}`,
    mensaje: preview,
    channels: ALL,
    data: { ...ids(ctx.payload, "chat_id"), ...(sender ? { sender_id: sender } : {}) },
    email: { action: { label: "Responder en ConectarProfesionales", url: ctx.links.frontend } },
  }];
};

const chatBanned: Rule = async (ctx) => {
  const to = await ctx.person(required(ctx.payload, "user_id"));
  if (!to) return [];
  const count = field(ctx.payload, "infracciones_chat");
  return [{
    to: to.id,
    tipo: "CHAT_BLOQUEADO",
    categoria: "cuenta",
    titulo: "Tu chat fue bloqueado",
    mensaje:
      `Bloqueamos tu chat porque compartiste datos de contacto${
        count ? ` ${count} veces` : " varias veces"
      }, algo que las normas no permiten antes de pagar un trabajo. ` +
      "Ya no podés enviar mensajes ni abrir chats; escribinos si creés que es un error.",
    channels: ["in_app", "email"],
    data: ids(ctx.payload, "user_id"),
  }];
};

const chatUnbanned: Rule = async (ctx) => {
  const to = await ctx.person(required(ctx.payload, "user_id"));
  if (!to) return [];
  return [{
    to: to.id,
    tipo: "CHAT_DESBLOQUEADO",
    categoria: "cuenta",
    titulo: "Tu chat está habilitado otra vez",
    mensaje:
      "Revisamos tu cuenta y volviste a tener el chat habilitado. Recordá no compartir datos de contacto " +
      "antes de pagar un trabajo.",
    channels: ["in_app", "email"],
    data: ids(ctx.payload, "user_id"),
  }];
};

export const CHAT_RULES: Readonly<Record<string, Rule>> = {
  "chat.created": chatCreated,
  "chat.message_sent": messageSent,
  "chat.banned": chatBanned,
  "chat.unbanned": chatUnbanned,
};
