import type { EventEnvelope } from "../../shared/events.ts";
import { PermanentEventError } from "../../shared/event-receiver.ts";

/**
 * The vocabulary of notification rules (see rules.ts): categories, channels, drafts, the
 * context a rule reads people through, and small payload helpers.
 */
export type Category = "cuenta" | "ofertas" | "trabajos" | "pagos" | "mensajes" | "resenas";
export type Channel = "in_app" | "email" | "push";
export const CATEGORIES: readonly Category[] = [
  "cuenta",
  "ofertas",
  "trabajos",
  "pagos",
  "mensajes",
  "resenas",
];

export type Person = { id: string; email: string; nombre: string; apellido: string; isActive: boolean };

/** One message to one person. `channels` are wanted; preferences may drop e-mail/push. */
export type Draft = {
  to: string;
  tipo: string;
  categoria: Category;
  titulo: string;
  mensaje: string;
  channels: Channel[];
  data?: Record<string, string>;
  /** E-mail wording when it differs from the notification's. */
  email?: { subject?: string; action?: { label: string; url: string } };
  /** Carries a secret (reset link): its e-mail body is erased once sent. */
  sensitive?: boolean;
};

export type Links = { frontend: string; passwordReset: string; emailVerification: string };

export type RuleContext = {
  event: EventEnvelope;
  payload: Record<string, unknown>;
  links: Links;
  person(id: string | undefined): Promise<Person | undefined>;
  /** The account (`usuarios.id`) of a professional profile (`profesionales.id`). */
  professionalAccount(profesionalId: string | undefined): Promise<string | undefined>;
  admins(): Promise<Person[]>;
};

export type Rule = (ctx: RuleContext) => Promise<Draft[]>;

/** The first of `keys` present in the payload as a non-empty string (or number, as text). */
export function field(payload: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = payload[key];
    if (typeof value === "string" && value.trim()) return value.trim();
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

/** Like `field`, but the event is useless without it: a permanent failure (dead-letter). */
export function required(payload: Record<string, unknown>, ...keys: string[]): string {
  const value = field(payload, ...keys);
  if (!value) throw new PermanentEventError(`El evento no trae ${keys.join(" ni ")}`);
  return value;
}

export function fullName(person: Person | undefined, fallback = "Alguien"): string {
  return person ? `${person.nombre} ${person.apellido}`.trim() : fallback;
}

/** `1500` / `"1500.5"` → `$1500.50` (display only; amounts come from the ledger as numerics). */
export function money(value: string | undefined): string {
  if (!value || !Number.isFinite(Number(value))) return "";
  return `$${Number(value).toFixed(2)}`;
}

/** Only string ids, for push `data` (FCM requires string values) and the client's links. */
export function ids(payload: Record<string, unknown>, ...keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = field(payload, key);
    if (value) out[key] = value;
  }
  return out;
}
