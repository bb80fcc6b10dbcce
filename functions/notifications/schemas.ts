import { z } from "zod";
import { PREFERENCE_KEYS, type PreferenceKey } from "./preferences.ts";

/** Request and response shapes of the notifications routes (they also feed /openapi.json). */

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
  metadata: z.record(z.string(), z.string()),
  fecha_creacion: z.string(),
  created_at: z.string(),
  fecha_lectura: z.string().nullable(),
});
export type NotificationOut = z.infer<typeof notificationSchema>;

export const notificationPage = z.object({
  items: z.array(notificationSchema),
  total: z.number(),
  page: z.number(),
  limit: z.number(),
  pages: z.number(),
});

export const preferencesPatch = z.object(
  Object.fromEntries(PREFERENCE_KEYS.map((k) => [k, z.boolean().optional()])) as Record<
    PreferenceKey,
    z.ZodOptional<z.ZodBoolean>
  >,
);
export const preferencesSchema = z.object({
  user_id: z.uuid(),
  ...Object.fromEntries(PREFERENCE_KEYS.map((k) => [k, z.boolean()])) as Record<PreferenceKey, z.ZodBoolean>,
});

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

export const tokenResult = z.object({ message: z.string(), success: z.boolean() });
export const countSchema = z.object({ count: z.number() });
