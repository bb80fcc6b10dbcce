import { z } from "zod";
import type { NotificationsConfig } from "./config.ts";
import type { Sql } from "../../shared/db.ts";
import {
  type EventHandlers,
  PermanentEventError,
  type SelfCommittingHandler,
} from "../../shared/event-receiver.ts";
import type { EventEnvelope } from "../../shared/events.ts";
import type { DeliveryDispatcher } from "./deliveries.ts";
import { renderEmail } from "./email-template.ts";
import { channelsFor, DEFAULT_PREFERENCES, pickPreferences, type Preferences } from "./preferences.ts";
import type { Draft, Links, Person, RuleContext } from "./rule-kit.ts";
import { RULES } from "./rules.ts";

/**
 * The notifications function's event handlers: one per event type in `RULES`. The rule reads the
 * people it needs (each with their preferences, one query per person); then ONE statement
 * (`public.record_notification_event`) records the event in the inbox and, only if it was new,
 * each draft's in-app notification (at most one per person per event) and its e-mail / push
 * delivery rows as preferences allow. After that
 * commit the deliveries are sent, in the background.
 *
 * @example
 * mountEventReceiver(app, platform, createNotificationHandlers(platform.config, dispatcher));
 */
export function createNotificationHandlers(
  config: NotificationsConfig,
  dispatcher: DeliveryDispatcher,
): EventHandlers {
  const links: Links = {
    frontend: config.FRONTEND_URL.replace(/\/+$/, ""),
    passwordReset: config.PASSWORD_RESET_URL_BASE,
    emailVerification: config.EMAIL_VERIFICATION_URL_BASE,
  };
  const handler: SelfCommittingHandler = {
    async selfCommitting(sql, event, consumer) {
      const people = peopleReader(sql);
      const drafts = await RULES[event.type](ruleContext(sql, event, links, people));
      const rows = new Rows();
      for (const draft of drafts) {
        const person = await people.person(draft.to);
        if (person) rows.add(event, draft, person, people.preferencesOf(person.id));
      }
      const [{ deliveries }] = await sql<{ deliveries: string[] | null }[]>`
        select public.record_notification_event(${consumer}, ${event.id}, ${event.type},
          ${sql.json(rows.notes as never)}, ${sql.json(rows.deliveries as never)})::text[] as deliveries`;
      return {
        fresh: deliveries !== null,
        // In the background: QStash's delivery is answered without waiting for the e-mail.
        afterCommit: deliveries?.length ? () => Promise.resolve(dispatcher.sendSoon(deliveries)) : undefined,
      };
    },
  };
  return Object.fromEntries(Object.keys(RULES).map((type) => [type, handler]));
}

type NoteRow = {
  usuario_id: string;
  tipo: string;
  categoria: string;
  titulo: string;
  mensaje: string;
  data: object;
};
type DeliveryRow = {
  usuario_id: string;
  channel: "email" | "push";
  payload: object;
  with_notification: boolean;
};

/** What an event's drafts write: the first in-app notification per person, one row per person and channel. */
class Rows {
  readonly notes: NoteRow[] = [];
  readonly deliveries: DeliveryRow[] = [];

  add(event: EventEnvelope, draft: Draft, person: Person, prefs: Preferences) {
    const channels = channelsFor(draft, prefs, person);
    const data = draft.data ?? {};
    const inApp = channels.includes("in_app") && !this.notes.some((n) => n.usuario_id === person.id);
    if (inApp) {
      this.notes.push({
        usuario_id: person.id,
        tipo: draft.tipo,
        categoria: draft.categoria,
        titulo: draft.titulo,
        mensaje: draft.mensaje.slice(0, 2000),
        data,
      });
    }
    const deliver = (channel: DeliveryRow["channel"], payload: object) => {
      if (this.deliveries.some((d) => d.usuario_id === person.id && d.channel === channel)) return;
      this.deliveries.push({ usuario_id: person.id, channel, payload, with_notification: inApp });
    };
    if (channels.includes("email")) {
      const { html, text } = renderEmail({
        nombre: person.nombre,
        titulo: draft.titulo,
        mensaje: draft.mensaje,
        action: draft.email?.action,
      });
      const subject = draft.email?.subject ?? draft.titulo;
      deliver("email", { to: person.email, subject, html, text, sensitive: draft.sensitive ?? false });
    }
    if (channels.includes("push")) {
      deliver("push", {
        title: draft.titulo,
        body: draft.mensaje.slice(0, 240),
        data: { tipo: draft.tipo, event_id: event.id, ...data },
      });
    }
  }
}

const uuid = z.uuid();

function checkId(id: string) {
  if (!uuid.safeParse(id).success) {
    throw new PermanentEventError(`Identificador inválido en el evento: "${id}"`);
  }
}

/**
 * People read once per event from `usuarios` (owned by users, read-only here) together with their
 * notification preferences, so a draft costs no further query.
 */
function peopleReader(sql: Sql) {
  const people = new Map<string, Promise<Person | undefined>>();
  const preferences = new Map<string, Preferences>();
  const remember = (row: Record<string, unknown>): Person => {
    const stored = row.preferences as Record<string, unknown> | null;
    preferences.set(row.id as string, stored ? pickPreferences(stored) : { ...DEFAULT_PREFERENCES });
    return {
      id: row.id as string,
      email: row.email as string,
      nombre: row.nombre as string,
      apellido: row.apellido as string,
      isActive: row.is_active as boolean,
    };
  };
  const load = async (id: string): Promise<Person | undefined> => {
    const [row] = await sql`select * from public.notification_recipient(${id})`;
    return row ? remember(row) : undefined;
  };
  return {
    person(id: string | undefined): Promise<Person | undefined> {
      if (!id) return Promise.resolve(undefined);
      checkId(id);
      if (!people.has(id)) people.set(id, load(id));
      return people.get(id)!;
    },
    async admins(): Promise<Person[]> {
      const rows = await sql`
        select u.id, u.email, u.nombre, u.apellido, u.is_active,
               case when p.usuario_id is null then null else to_jsonb(p) end as preferences
        from public.usuarios u
        left join public.notification_preferences p on p.usuario_id = u.id
        where u.rol = 'ADMIN' and u.is_active order by u.fecha_creacion limit 50`;
      return rows.map((row) => {
        const admin = remember(row);
        people.set(admin.id, Promise.resolve(admin));
        return admin;
      });
    },
    preferencesOf: (id: string): Preferences => preferences.get(id) ?? { ...DEFAULT_PREFERENCES },
  };
}

function ruleContext(
  sql: Sql,
  event: EventEnvelope,
  links: Links,
  people: ReturnType<typeof peopleReader>,
): RuleContext {
  return {
    event,
    payload: event.payload,
    links,
    person: people.person,
    async professionalAccount(profesionalId) {
      if (!profesionalId) return undefined;
      checkId(profesionalId);
      const [row] = await sql`select usuario_id from public.profesionales where id = ${profesionalId}`;
      return row?.usuario_id;
    },
    admins: people.admins,
  };
}
