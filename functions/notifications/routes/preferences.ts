import type { Hono } from "hono";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate } from "../../../shared/validate.ts";
import { loadPreferences } from "../preferences.ts";
import { preferencesPatch, preferencesSchema } from "../schemas.ts";

/**
 * `GET|PUT /notifications/preferences`: e-mail and push on/off per category, in the original's
 * shape (`{user_id, email_ofertas, …, push_mensajes}` plus the frontend's `*_resenas`). PUT takes
 * any subset and merges it into what is stored (or the defaults).
 */
export function registerPreferenceRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const { auth, db } = platform;

  doc.describe({
    method: "get",
    path: "/notifications/preferences",
    summary: "My notification preferences (the defaults until I change one)",
    auth: "any",
    responses: { 200: { description: "Preferences", schema: preferencesSchema } },
  });
  app.get("/notifications/preferences", auth, async (c) => {
    const user = c.var.user;
    const prefs = await db.asUser(user, (tx) => loadPreferences(tx, user.id));
    return c.json({ user_id: user.id, ...prefs });
  });

  doc.describe({
    method: "put",
    path: "/notifications/preferences",
    summary: "Change some of my notification preferences (others keep their value)",
    auth: "any",
    body: preferencesPatch,
    responses: { 200: { description: "Preferences after the change", schema: preferencesSchema } },
  });
  app.put("/notifications/preferences", auth, validate("json", preferencesPatch), async (c) => {
    const user = c.var.user;
    const patch = c.req.valid("json");
    const prefs = await db.asUser(user, async (tx) => {
      const merged = { ...await loadPreferences(tx, user.id), ...definedOnly(patch) };
      await tx`
        insert into public.notification_preferences ${tx({ usuario_id: user.id, ...merged })}
        on conflict (usuario_id) do update set ${tx(merged)}, updated_at = now()`;
      return merged;
    });
    return c.json({ user_id: user.id, ...prefs });
  });
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
