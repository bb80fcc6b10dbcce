import { z } from "zod";
import { MAX_MESSAGE_LENGTH } from "./contact-masking.ts";

/** Request and response schemas of the chat routes (one definition per route feeds the docs). */
const integer = z.string().trim().regex(/^-?\d+$/, "Debe ser un número entero").transform(Number);
const messageText = z.string().trim().min(1).max(MAX_MESSAGE_LENGTH);

export const chatIdParams = z.object({ chat_id: z.guid({ error: "Chat no encontrado" }) });

export const createChatSchema = z.object({
  /** Profile id (`profesionales.id`, as the public profile passes it) or account id. */
  profesional_id: z.guid(),
  mensaje_inicial: messageText.nullish(),
});

export const sendMessageSchema = z.object({ text: messageText });

/** `page` < 1 → 1; `limit` < 1 → 20, > 100 → 100 (API.md rule 7). */
export const pageQuerySchema = z.object({
  page: integer.optional().transform((p) => Math.max(p ?? 1, 1)),
  limit: integer.optional().transform((l) => (l === undefined || l < 1 ? 20 : Math.min(l, 100))),
});

export const messagesQuerySchema = z.object({
  limit: integer.optional().transform((l) => (l === undefined || l < 1 ? 50 : Math.min(l, 100))),
  /** Only messages older than this instant (ISO-8601): the `next_before` of the previous page. */
  before: z.iso.datetime({ offset: true }).optional().transform((v) => (v ? new Date(v) : undefined)),
});

export const infractionWebhookSchema = z.object({
  user_id: z.guid(),
  /** The Cloud Function sends "phone:true, email:false, social:true". */
  reason: z.string().max(500).nullish(),
});

export const personCardSchema = z.object({
  id: z.uuid(),
  nombre: z.string(),
  apellido: z.string(),
  nombre_completo: z.string(),
  avatar_url: z.string().nullable(),
  rol: z.string(),
}).meta({ id: "ChatPerson" });

export const chatViewSchema = z.object({
  id: z.uuid(),
  chat_id: z.uuid(),
  participants: z.array(z.uuid()),
  cliente_id: z.uuid(),
  profesional_id: z.uuid(),
  trabajo_id: z.uuid().nullable(),
  oferta_id: z.uuid().nullable(),
  created_at: z.string(),
  last_message_at: z.string().nullable(),
  unread_count: z.number().int(),
  other_user: personCardSchema.nullable(),
}).meta({ id: "Chat" });

export const moderationSchema = z.object({
  infracciones_chat: z.number().int(),
  is_chat_banned: z.boolean(),
}).meta({ id: "ChatStrike" });

export const sentMessageSchema = z.object({
  id: z.uuid(),
  message_id: z.uuid(),
  chat_id: z.uuid(),
  sender_id: z.uuid(),
  text: z.string(),
  type: z.string(),
  read: z.boolean(),
  timestamp: z.string().nullable(),
  censored: z.boolean(),
  censor_reasons: z.array(z.string()),
  /** Set when the message cost a strike. */
  moderation: moderationSchema.nullable(),
}).meta({ id: "ChatMessageSent" });

export const createdChatSchema = chatViewSchema.extend({
  created: z.boolean(),
  profesional_perfil_id: z.uuid(),
  mensaje: sentMessageSchema.nullable(),
}).meta({ id: "ChatOpened" });

export const storedMessageSchema = z.object({
  id: z.string(),
  sender_id: z.string(),
  sender_name: z.string().nullable(),
  text: z.string(),
  type: z.string(),
  read: z.boolean(),
  timestamp: z.string().nullable(),
  censored: z.boolean(),
  censor_reasons: z.array(z.string()),
  oferta_id: z.string().nullable(),
  precio_final: z.number().nullable(),
}).meta({ id: "ChatMessage" });

export const messagePageSchema = z.object({
  chat_id: z.uuid(),
  items: z.array(storedMessageSchema),
  limit: z.number().int(),
  has_more: z.boolean(),
  /** Pass as `before` for the previous (older) page; null when there is none. */
  next_before: z.string().nullable(),
});

export const conversationPageSchema = z.object({
  items: z.array(chatViewSchema),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
  pages: z.number().int(),
});

export const readResultSchema = z.object({
  chat_id: z.uuid(),
  unread_count: z.number().int(),
  marked_read: z.number().int(),
});

export const infractionResultSchema = z.object({
  user_id: z.uuid(),
  infracciones_chat: z.number().int(),
  is_chat_banned: z.boolean(),
  message: z.string(),
  mensaje: z.string(),
});

export const infractionSchema = z.object({
  id: z.uuid(),
  usuario_id: z.uuid(),
  chat_id: z.uuid().nullable(),
  message_id: z.string().nullable(),
  reasons: z.array(z.string()),
  source: z.enum(["masking", "webhook"]),
  created_at: z.string(),
  usuario: z.object({
    email: z.string(),
    nombre: z.string(),
    apellido: z.string(),
    infracciones_chat: z.number().int(),
    is_chat_banned: z.boolean(),
  }).nullable(),
}).meta({ id: "ChatInfraction" });

export const infractionPageSchema = conversationPageSchema.extend({ items: z.array(infractionSchema) });
export const infractionQuerySchema = pageQuerySchema.extend({ usuario_id: z.guid().optional() });
