import type { NotificationsPlatform } from "../config.ts";
import { createRoute, json, jsonBody, type ServiceApp } from "../../../shared/route.ts";
import { loadPreferences } from "../preferences.ts";
import { preferencesPatch, preferencesSchema } from "../schemas.ts";

/**
 * `GET|PUT /notifications/preferences`: e-mail and push on/off per category, in the original's
 * shape (`{user_id, email_ofertas, …, push_mensajes}` plus the frontend's `*_resenas`). PUT takes
 * any subset and merges it into what is stored (or the defaults).
 */
export function registerPreferenceRoutes(app: ServiceApp, platform: NotificationsPlatform) {
  const { db } = platform;

  app.openapi(
    createRoute({
      method: "get",
      path: "/notifications/preferences",
      summary: "My notification preferences (the defaults until I change one)",
      ...platform.access("signed-in"),
      responses: { 200: json(preferencesSchema, "Preferences") },
    }),
    async (c) => {
      const user = c.var.user;
      const prefs = await db.asUser(user, (tx) => loadPreferences(tx, user.id));
      return c.json({ user_id: user.id, ...prefs }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/notifications/preferences",
      summary: "Change some of my notification preferences (others keep their value)",
      ...platform.access("signed-in"),
      request: { body: jsonBody(preferencesPatch) },
      responses: { 200: json(preferencesSchema, "Preferences after the change") },
    }),
    async (c) => {
      const user = c.var.user;
      const patch = c.req.valid("json");
      const prefs = await db.asUser(user, async (tx) => {
        const merged = { ...await loadPreferences(tx, user.id), ...definedOnly(patch) };
        await tx`
          insert into public.notification_preferences ${tx({ usuario_id: user.id, ...merged })}
          on conflict (usuario_id) do update set ${tx(merged)}, updated_at = now()`;
        return merged;
      });
      return c.json({ user_id: user.id, ...prefs }, 200);
    },
  );
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
