import { createMiddleware } from "hono/factory";
import { z } from "zod";
import type { AppEnv } from "../../../shared/app-env.ts";
import { AppError } from "../../../shared/errors.ts";
import type { ChatOffersPlatform } from "../config.ts";
import { createRoute, errorSchema, json, jsonBody, type ServiceApp } from "../../../shared/route.ts";
import type { ChatDeps } from "../chat-actions.ts";
import { apiKeyMatches, listInfractions, recordInfraction, webhookReasons } from "../moderation.ts";
import {
  infractionPageSchema,
  infractionQuerySchema,
  infractionResultSchema,
  infractionWebhookSchema,
} from "../schemas.ts";

const webhookHeaders = z.object({
  "x-api-key": z.string().optional().meta({ description: "Shared secret" }),
});

/** Strikes from the moderation Cloud Function (shared secret) and the admins' list of them. */
export function registerModerationRoutes(app: ServiceApp, platform: ChatOffersPlatform, deps: ChatDeps) {
  const { db, config } = platform;
  // Checked before the body is validated (API.md rule 3); no key configured → nobody gets in.
  const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
    if (!(await apiKeyMatches(c.req.header("x-api-key"), config.CHAT_WEBHOOK_API_KEY))) {
      throw new AppError("unauthorized", "Invalid API Key: X-API-Key inválida o ausente");
    }
    await next();
  });

  app.openapi(
    createRoute({
      method: "post",
      path: "/webhook/chat/infraction",
      summary: "Record a chat infraction (X-API-Key); the 3rd bans the user from chat",
      middleware: [requireApiKey],
      request: { headers: webhookHeaders, body: jsonBody(infractionWebhookSchema) },
      responses: {
        200: json(infractionResultSchema, "The user's strikes (ChatInfractionResponse)"),
        401: json(errorSchema, "Missing or wrong X-API-Key"),
        404: json(errorSchema, "No such user"),
      },
    }),
    async (c) => {
      const { user_id, reason } = c.req.valid("json");
      const strike = await db.asService((tx) =>
        recordInfraction(tx, {
          userId: user_id,
          source: "webhook",
          reasons: webhookReasons(reason ?? undefined),
          maxInfractions: deps.rules.maxInfractions,
        })
      );
      platform.log.info("chat infraction", { request_id: c.var.requestId, user_id, ...strike });
      const message = strike.newly_banned
        ? `Usuario baneado del chat después de ${strike.infracciones_chat} infracciones`
        : `Infracción registrada. Total: ${strike.infracciones_chat}`;
      const { infracciones_chat, is_chat_banned } = strike;
      return c.json({ user_id, infracciones_chat, is_chat_banned, message, mensaje: message }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/chat/infractions",
      summary: "Chat infractions, newest first (optionally of one user)",
      ...platform.access(["ADMIN"]),
      request: { query: infractionQuerySchema },
      responses: { 200: json(infractionPageSchema, "One page of infractions") },
    }),
    async (c) => {
      const { page, limit, usuario_id } = c.req.valid("query");
      const { rows, total } = await db.asUser(
        c.var.user,
        (tx) => listInfractions(tx, { page, limit, usuarioId: usuario_id }),
      );
      const items = rows.map((r) => ({
        id: r.id,
        usuario_id: r.usuario_id,
        chat_id: r.chat_id,
        message_id: r.message_id,
        reasons: r.reasons,
        source: r.source,
        created_at: r.created_at.toISOString(),
        usuario: r.email === null ? null : {
          email: r.email,
          nombre: r.nombre ?? "",
          apellido: r.apellido ?? "",
          infracciones_chat: r.infracciones_chat ?? 0,
          is_chat_banned: r.is_chat_banned ?? false,
        },
      }));
      return c.json({ items, total, page, limit, pages: Math.max(1, Math.ceil(total / limit)) }, 200);
    },
  );
}
