import type { Hono } from "hono";
import { AppError } from "../../../shared/errors.ts";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate, validationError } from "../../../shared/validate.ts";
import { registerTokenBody, tokenResult, unregisterTokenBody } from "../schemas.ts";

/**
 * `POST /notifications/fcm-token` — the path and body the frontend's messaging service sends
 * (`{userId, fcmToken, platform}`; the user comes from the access token, `userId` is ignored) —
 * and `DELETE` to unregister one device (`{fcmToken}`) or all of the caller's.
 * Answers as the original's Firebase endpoints did: `{message, success: true}`.
 */
export function registerDeviceTokenRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const { auth, db } = platform;

  doc.describe({
    method: "post",
    path: "/notifications/fcm-token",
    summary: "Register this device's FCM token for push notifications",
    auth: "any",
    body: registerTokenBody,
    responses: { 200: { description: "Saved", schema: tokenResult } },
  });
  app.post("/notifications/fcm-token", auth, validate("json", registerTokenBody), async (c) => {
    const { token, platform: devicePlatform } = c.req.valid("json");
    await db.asUser(
      c.var.user,
      (tx) => tx`select 1 from public.register_device_token(${token}, ${devicePlatform})`,
    );
    return c.json({ message: "Token FCM guardado correctamente", success: true });
  });

  doc.describe({
    method: "delete",
    path: "/notifications/fcm-token",
    summary: "Unregister a device token (`{fcmToken}`), or every one of mine without a body",
    auth: "any",
    body: unregisterTokenBody,
    responses: {
      200: { description: "Removed", schema: tokenResult },
      404: { description: "Not one of mine" },
    },
  });
  app.delete("/notifications/fcm-token", auth, async (c) => {
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
    return c.json({ message: "Token FCM eliminado", success: true });
  });
}

/** DELETE may come without a body (the original's took none). */
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
