import { z } from "zod";
import { trackEmittedEvents } from "../../../shared/events.ts";
import type { UsersPlatform } from "../config.ts";
import { createRoute, idParams, json, messageSchema, type ServiceApp } from "../../../shared/route.ts";
import { lockUser } from "../user-status.ts";

const chatUnbanSchema = messageSchema.extend({
  user_id: z.uuid(),
  email: z.string(),
  infracciones_chat: z.number().int(),
  is_chat_banned: z.boolean(),
  /** False when the account was not chat-banned (its strike counter is reset all the same). */
  was_banned: z.boolean(),
});

/**
 * Lifting a chat ban: users owns `infracciones_chat` / `is_chat_banned`, so the admin action lives
 * here and goes through `public.lift_chat_ban`, which resets the counter and writes
 * `chat.unbanned` in the same transaction.
 */
export function registerChatBanRoutes(app: ServiceApp, platform: UsersPlatform) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/admin/users/{id}/chat-unban",
      summary: "Lift a user's chat ban and reset their chat strikes",
      ...platform.access(["ADMIN"]),
      request: { params: idParams },
      responses: { 200: json(chatUnbanSchema, "The account's chat status") },
    }),
    async (c) => {
      const userId = c.req.valid("param").id;
      const result = await platform.db.asService(async (tx) => {
        const user = await lockUser(tx, userId);
        const [row] = await tx<{ was_banned: boolean; event_id: string | null }[]>`
          select was_banned, event_id from public.lift_chat_ban(${user.id}::uuid, ${c.var.user.id}::uuid)`;
        if (row.event_id) trackEmittedEvents(tx, [row.event_id]);
        return { email: user.email, wasBanned: row.was_banned };
      });
      platform.log.info("chat unban", { request_id: c.var.requestId, user_id: userId, by: c.var.user.id });
      const mensaje = result.wasBanned
        ? `El chat de ${result.email} fue habilitado nuevamente y sus infracciones se reiniciaron.`
        : `${result.email} no tenía el chat bloqueado; sus infracciones se reiniciaron.`;
      return c.json({
        user_id: userId,
        email: result.email,
        infracciones_chat: 0,
        is_chat_banned: false,
        was_banned: result.wasBanned,
        mensaje,
        message: mensaje,
      }, 200);
    },
  );
}
