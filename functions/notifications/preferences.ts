import type { Tx } from "../../shared/db.ts";
import type { Category, Channel, Draft, Person } from "./rule-kit.ts";

/**
 * Per person, e-mail and push on/off per category — the original's notification_preferences
 * (ofertas, trabajos, pagos, mensajes) plus resenas, which the frontend's form has. In-app
 * notifications are always kept; account messages (`cuenta`) always go out.
 */
export const PREFERENCE_KEYS = [
  "email_ofertas",
  "email_trabajos",
  "email_pagos",
  "email_mensajes",
  "email_resenas",
  "push_ofertas",
  "push_trabajos",
  "push_pagos",
  "push_mensajes",
  "push_resenas",
] as const;
export type PreferenceKey = (typeof PREFERENCE_KEYS)[number];
export type Preferences = Record<PreferenceKey, boolean>;

/** The original's defaults: everything on except push for chat messages. */
export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  email_ofertas: true,
  email_trabajos: true,
  email_pagos: true,
  email_mensajes: true,
  email_resenas: true,
  push_ofertas: true,
  push_trabajos: true,
  push_pagos: true,
  push_mensajes: false,
  push_resenas: true,
});

/**
 * The channels a draft goes out on for this person: what it asks for, minus what their
 * preferences turn off; a deactivated (banned) account gets only account e-mails.
 */
export function channelsFor(
  draft: Pick<Draft, "channels" | "categoria">,
  prefs: Preferences,
  person: Person,
): Channel[] {
  return draft.channels.filter((channel) => {
    if (channel === "in_app") return true;
    if (draft.categoria === "cuenta") return channel === "email" || person.isActive;
    if (!person.isActive) return false;
    return prefs[`${channel}_${draft.categoria as Exclude<Category, "cuenta">}`];
  });
}

/** The stored preferences of a person, or the defaults when they never changed any. */
export async function loadPreferences(tx: Tx, usuarioId: string): Promise<Preferences> {
  const [row] = await tx`select * from public.notification_preferences where usuario_id = ${usuarioId}`;
  return row ? pickPreferences(row) : { ...DEFAULT_PREFERENCES };
}

export function pickPreferences(row: Record<string, unknown>): Preferences {
  return Object.fromEntries(PREFERENCE_KEYS.map((k) => [k, Boolean(row[k])])) as Preferences;
}
