import { z } from "zod";
import { PREFERENCE_KEYS, type PreferenceKey } from "./preferences.ts";

/**
 * Request and response shapes of the notifications routes: the route definitions validate with
 * them and build /openapi.json from them, and `c.json` is checked against the response ones.
 */

const timestamp = z.iso.datetime({ offset: true }).describe("ISO-8601 UTC");

const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** New list routes: `page`/`limit` (capped at 100) → `{items, total, page, limit, pages}`. */
export const listQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Only unread ones (`solo_no_leidas` is the frontend's name for it). */
  unread: flag.optional(),
  solo_no_leidas: flag.optional(),
  tipo: z.string().regex(/^[A-Z][A-Z_]{0,39}$/).optional(),
});

export const notificationSchema = z.object({
  id: z.uuid(),
  usuario_id: z.uuid(),
  tipo: z.string(),
  categoria: z.string(),
  titulo: z.string(),
  mensaje: z.string(),
  leida: z.boolean(),
  data: z.record(z.string(), z.string()),
  metadata: z.record(z.string(), z.string()).describe("Same value as data (the frontend's name)"),
  fecha_creacion: timestamp,
  created_at: timestamp.describe("Same value as fecha_creacion"),
  fecha_lectura: timestamp.nullable(),
}).meta({ id: "Notification" });
export type NotificationOut = z.infer<typeof notificationSchema>;

const count = z.number().int();

export const notificationPage = z.object({
  items: z.array(notificationSchema),
  total: count,
  page: count,
  limit: count,
  pages: count,
}).meta({ id: "NotificationPage" });

export const preferencesPatch = z.object(
  Object.fromEntries(PREFERENCE_KEYS.map((k) => [k, z.boolean().optional()])) as Record<
    PreferenceKey,
    z.ZodOptional<z.ZodBoolean>
  >,
);
export const preferencesSchema = z.object({
  user_id: z.uuid(),
  ...Object.fromEntries(PREFERENCE_KEYS.map((k) => [k, z.boolean()])) as Record<PreferenceKey, z.ZodBoolean>,
}).meta({ id: "NotificationPreferences" });

/** FCM registration token: printable ASCII, no spaces (what FCM issues). */
const deviceToken = z.string().trim().regex(/^[!-~]{1,1024}$/, "Token FCM inválido");
const platform = z.enum(["web", "android", "ios"]);

/** `{fcmToken, platform}` as the frontend sends it (`token` / `device_type` accepted too). */
export const registerTokenBody = z.object({
  fcmToken: deviceToken.optional(),
  token: deviceToken.optional(),
  platform: platform.optional(),
  device_type: platform.optional(),
}).refine((b) => b.fcmToken || b.token, { message: "fcmToken es obligatorio", path: ["fcmToken"] })
  .transform((b) => ({ token: (b.fcmToken ?? b.token)!, platform: b.platform ?? b.device_type ?? "web" }));

/** Without a token, every device of the caller is unregistered. */
export const unregisterTokenBody = z.object({
  fcmToken: deviceToken.optional(),
  token: deviceToken.optional(),
}).transform((b) => ({ token: b.fcmToken ?? b.token }));

/**
 * `DELETE /notifications/fcm-token`'s optional body, for the document only: the handler parses it
 * (no body, or an empty one, means every device) with `unregisterTokenBody`.
 */
export const unregisterTokenDoc = {
  required: false,
  content: {
    "application/json": {
      schema: {
        type: "object" as const,
        properties: {
          fcmToken: { type: "string" as const, description: "The device's FCM token" },
          token: { type: "string" as const, description: "Same, by its other name" },
        },
      },
    },
  },
};

export const tokenResult = z.object({ message: z.string(), success: z.boolean() }).meta({
  id: "DeviceTokenResult",
});
export const countSchema = z.object({ count });
export const updatedSchema = z.object({ updated: count.describe("How many notifications changed") });
