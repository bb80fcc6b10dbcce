import type { ChatOffersPlatform } from "../config.ts";
import { createRoute, json, jsonBody, type ServiceApp } from "../../../shared/route.ts";
import { type ChatDeps, chatMessages, readChat, sendMessage } from "../chat-actions.ts";
import type { ComposedMessage } from "../chat-messages.ts";
import {
  chatIdParams,
  messagePageSchema,
  messagesQuerySchema,
  readResultSchema,
  sendMessageSchema,
  sentMessageSchema,
} from "../schemas.ts";

/** Messages of a chat: read a page, send one (contact details masked), mark read. */
export function registerMessageRoutes(app: ServiceApp, platform: ChatOffersPlatform, deps: ChatDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/chat/{chat_id}/messages",
      summary: "Messages, oldest first, `limit` (≤ 100) before an instant (participants and admins)",
      ...platform.access("signed-in"),
      request: { params: chatIdParams, query: messagesQuerySchema },
      responses: { 200: json(messagePageSchema, "One page of messages") },
    }),
    async (c) => {
      const { chat_id } = c.req.valid("param");
      const { limit, before } = c.req.valid("query");
      const { items, hasMore } = await chatMessages(deps, c.var.user, chat_id, { limit, before });
      const next_before = hasMore ? items[0]?.timestamp ?? null : null;
      return c.json({ chat_id, items, limit, has_more: hasMore, next_before }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/chat/{chat_id}/messages",
      summary: "Send a message (1–2000 characters); contact details are masked and cost a strike",
      ...platform.access("signed-in"),
      request: { params: chatIdParams, body: jsonBody(sendMessageSchema) },
      responses: { 201: json(sentMessageSchema, "The message as stored") },
    }),
    async (c) => {
      const { chat_id } = c.req.valid("param");
      const sent = await sendMessage(deps, c.var.user, chat_id, c.req.valid("json").text);
      if (sent.strike?.newly_banned) {
        platform.log.info("chat ban", { request_id: c.var.requestId, user_id: c.var.user.id });
      }
      return c.json(toSentMessage({ ...sent, chatId: chat_id, senderId: c.var.user.id }), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/chat/{chat_id}/read",
      summary: "Mark the other party's messages read and zero my unread count",
      ...platform.access("signed-in"),
      request: { params: chatIdParams },
      responses: { 200: json(readResultSchema, "Read") },
    }),
    async (c) => {
      const { chat_id } = c.req.valid("param");
      const marked = await readChat(deps, c.var.user, chat_id);
      return c.json({ chat_id, unread_count: 0, marked_read: marked }, 200);
    },
  );
}

export function toSentMessage(
  sent: ComposedMessage & { chatId: string; senderId: string; timestamp: string | null },
) {
  const { message, strike } = sent;
  return {
    id: message.id,
    message_id: message.id,
    chat_id: sent.chatId,
    sender_id: sent.senderId,
    text: message.text,
    type: message.type ?? "text",
    read: false,
    timestamp: sent.timestamp,
    censored: message.censored,
    censor_reasons: message.censorReasons,
    moderation: strike
      ? { infracciones_chat: strike.infracciones_chat, is_chat_banned: strike.is_chat_banned }
      : null,
  };
}
