import type { ChatOffersPlatform } from "../config.ts";
import { createRoute, json, jsonBody, type ServiceApp } from "../../../shared/route.ts";
import { type ChatDeps, openChat } from "../chat-actions.ts";
import { chatNotFound } from "../chat-rooms.ts";
import { myChat, myConversations, people, toChatView } from "../chat-views.ts";
import {
  chatIdParams,
  chatViewSchema,
  conversationPageSchema,
  createChatSchema,
  createdChatSchema,
  pageQuerySchema,
} from "../schemas.ts";
import { toSentMessage } from "./messages.ts";

/** Opening a chat with a professional, my conversations, one chat. */
export function registerChatRoutes(app: ServiceApp, platform: ChatOffersPlatform, deps: ChatDeps) {
  const { db } = platform;

  for (
    const { path, roles } of [
      { path: "/chat/create", roles: ["CLIENTE", "PROFESIONAL"] as const },
      { path: "/cliente/chat/create", roles: ["CLIENTE"] as const },
    ]
  ) {
    app.openapi(
      createRoute({
        method: "post",
        path,
        summary: "Open (or find) the chat with an approved professional, by profile id or user id",
        ...platform.access(roles),
        request: { body: jsonBody(createChatSchema) },
        responses: {
          201: json(createdChatSchema, "The chat: new, or the one the two already had (created: false)"),
        },
      }),
      async (c) => {
        const { profesional_id, mensaje_inicial } = c.req.valid("json");
        const user = c.var.user;
        const opened = await openChat(deps, user, {
          profesionalId: profesional_id,
          mensajeInicial: mensaje_inicial ?? undefined,
        });
        const cards = await db.asUser(
          user,
          (tx) => people(tx, [opened.chat.cliente_id, opened.chat.profesional_id]),
        );
        const body = {
          ...toChatView({ ...opened.chat, unread_count: 0 }, user.id, cards),
          created: opened.created,
          profesional_perfil_id: opened.pro.profile_id,
          mensaje: opened.composed
            ? toSentMessage({
              ...opened.composed,
              chatId: opened.chat.id,
              senderId: user.id,
              timestamp: opened.timestamp,
            })
            : null,
        };
        // 201 either way, as the contract's clients expect (API.md, Chat); `created` tells them apart.
        return c.json(body, 201);
      },
    );
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/chat/conversations",
      summary: "My chats, newest activity first, with the other party and my unread count",
      ...platform.access("signed-in"),
      request: { query: pageQuerySchema },
      responses: { 200: json(conversationPageSchema, "One page of chats") },
    }),
    async (c) => {
      const { page, limit } = c.req.valid("query");
      const { items, total } = await db.asUser(
        c.var.user,
        (tx) => myConversations(tx, c.var.user.id, { page, limit }),
      );
      return c.json({ items, total, page, limit, pages: Math.max(1, Math.ceil(total / limit)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/chat/{chat_id}",
      summary: "One of my chats (participants only; anyone else gets 404)",
      ...platform.access("signed-in"),
      request: { params: chatIdParams },
      responses: { 200: json(chatViewSchema, "The chat") },
    }),
    async (c) => {
      const { chat_id } = c.req.valid("param");
      const chat = await db.asUser(c.var.user, (tx) => myChat(tx, chat_id, c.var.user.id));
      if (!chat) throw chatNotFound();
      return c.json(chat, 200);
    },
  );
}
