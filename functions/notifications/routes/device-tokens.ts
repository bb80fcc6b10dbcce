import { AppError } from "../../../shared/errors.ts";
import type { NotificationsPlatform } from "../config.ts";
import { createRoute, errorSchema, json, jsonBody, type ServiceApp } from "../../../shared/route.ts";
import { validationError } from "../../../shared/validation.ts";
import { registerTokenBody, tokenResult, unregisterTokenBody, unregisterTokenDoc } from "../schemas.ts";

/**
 * `POST /notifications/fcm-token` — the path and body the frontend's messaging service sends
 * (`{userId, fcmToken, platform}`; the user comes from the access token, `userId` is ignored) —
 * and `DELETE` to unregister one device (`{fcmToken}`) or all of the caller's.
 * Answers as the original's Firebase endpoints did: `{message, success: true}`.
 */
export function registerDeviceTokenRoutes(app: ServiceApp, platform: NotificationsPlatform) {
  const { db } = platform;

  app.openapi(
    createRoute({
      method: "post",
      path: "/notifications/fcm-token",
      summary: "Register this device's FCM token for push notifications",
      ...platform.access("signed-in"),
      request: { body: jsonBody(registerTokenBody) },
      responses: { 200: json(tokenResult, "Saved") },
    }),
    async (c) => {
      const { token, platform: devicePlatform } = c.req.valid("json");
      await db.asUser(
        c.var.user,
        (tx) => tx`select 1 from public.register_device_token(${token}, ${devicePlatform})`,
      );
      return c.json({ message: "Token FCM guardado correctamente", success: true }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/notifications/fcm-token",
      summary: "Unregister a device token (`{fcmToken}`), or every one of mine without a body",
      ...platform.access("signed-in"),
      request: { body: unregisterTokenDoc },
      responses: { 200: json(tokenResult, "Removed"), 404: json(errorSchema, "Not one of mine") },
    }),
    async (c) => {
      const { token } = await optionalBody(c.req.raw);
      const user = c.var.user;
      const removed = await db.asUser(
        user,
        (tx) =>
          token
            ? tx`delete from public.device_tokens where token = ${token} returning id`
            : tx`delete from public.device_tokens where usuario_id = ${user.id} returning id`,
      );
      if (token && !removed.length) throw new AppError("not_found", "Token FCM no encontrado");
      return c.json({ message: "Token FCM eliminado", success: true }, 200);
    },
  );
}

/**
 * DELETE may come without a body (the original's took none), or with an empty one under a JSON
 * content type (clients that set it on every request), so the handler reads it: the library's
 * JSON validator would answer 422 to an empty body.
 */
async function optionalBody(request: Request): Promise<{ token?: string }> {
  const text = await request.text();
  if (!text.trim()) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("validation_failed", "El cuerpo de la solicitud no es válido");
  }
  const parsed = unregisterTokenBody.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error, "body");
  return parsed.data;
}
