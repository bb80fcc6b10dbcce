import { z } from "zod";
import type { NotificationsConfig } from "./config.ts";
import type { Tx } from "../../shared/db.ts";
import { type EventHandler, type EventHandlers, PermanentEventError } from "../../shared/event-receiver.ts";
import type { EventEnvelope } from "../../shared/events.ts";
import type { DeliveryDispatcher } from "./deliveries.ts";
import { renderEmail } from "./email-template.ts";
import { channelsFor, loadPreferences } from "./preferences.ts";
import type { Draft, Links, Person, RuleContext } from "./rule-kit.ts";
import { RULES } from "./rules.ts";

/**
 * The notifications function's event handlers: one per event type in `RULES`. In the receiver's
 * transaction each draft becomes an in-app notification (at most one per person per event) and
 * e-mail / push delivery rows as preferences allow; after the commit the deliveries are sent.
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
  const handle: EventHandler = async (tx, event) => {
    const context = ruleContext(tx, event, links);
    const drafts = await RULES[event.type](context);
    const deliveries: string[] = [];
    for (const draft of drafts) {
      const person = await context.person(draft.to);
      if (person) deliveries.push(...await record(tx, event, draft, person));
    }
    return { afterCommit: deliveries.length ? () => dispatcher.send(deliveries).then(() => {}) : undefined };
  };
  return Object.fromEntries(Object.keys(RULES).map((type) => [type, handle]));
}

async function record(tx: Tx, event: EventEnvelope, draft: Draft, person: Person): Promise<string[]> {
  const channels = channelsFor(draft, await loadPreferences(tx, person.id), person);
  const data = draft.data ?? {};
  let notificationId: string | null = null;
  if (channels.includes("in_app")) {
    const [row] = await tx<{ id: string }[]>`
      insert into public.notifications (usuario_id, tipo, categoria, titulo, mensaje, data, event_id)
      values (${person.id}, ${draft.tipo}, ${draft.categoria}, ${draft.titulo}, ${
      draft.mensaje.slice(0, 2000)
    },
              ${tx.json(data)}, ${event.id})
      on conflict (event_id, usuario_id) where event_id is not null do nothing
      returning id`;
    notificationId = row?.id ?? null;
  }
  const payloads: [string, Record<string, unknown>][] = [];
  if (channels.includes("email")) {
    const { html, text } = renderEmail({
      nombre: person.nombre,
      titulo: draft.titulo,
      mensaje: draft.mensaje,
      action: draft.email?.action,
    });
    const subject = draft.email?.subject ?? draft.titulo;
    payloads.push(["email", { to: person.email, subject, html, text, sensitive: draft.sensitive ?? false }]);
  }
  if (channels.includes("push")) {
    payloads.push(["push", {
      title: draft.titulo,
      body: draft.mensaje.slice(0, 240),
      data: { tipo: draft.tipo, event_id: event.id, ...data },
    }]);
  }
  const ids: string[] = [];
  for (const [channel, payload] of payloads) {
    const [row] = await tx<{ id: string }[]>`
      insert into public.notification_deliveries (usuario_id, channel, event_id, notification_id, payload)
      values (${person.id}, ${channel}, ${event.id}, ${notificationId}, ${tx.json(payload as never)})
      on conflict (event_id, usuario_id, channel) do nothing
      returning id`;
    if (row) ids.push(row.id);
  }
  return ids;
}

const uuid = z.uuid();

/** People looked up once per event from `usuarios` (read-only; owned by users). */
function ruleContext(tx: Tx, event: EventEnvelope, links: Links): RuleContext {
  const people = new Map<string, Promise<Person | undefined>>();
  const checkId = (id: string) => {
    if (!uuid.safeParse(id).success) {
      throw new PermanentEventError(`Identificador inválido en el evento: "${id}"`);
    }
  };
  const load = async (id: string): Promise<Person | undefined> => {
    const [row] = await tx`
      select id, email, nombre, apellido, is_active from public.usuarios where id = ${id}`;
    return row
      ? { id: row.id, email: row.email, nombre: row.nombre, apellido: row.apellido, isActive: row.is_active }
      : undefined;
  };
  return {
    event,
    payload: event.payload,
    links,
    person(id) {
      if (!id) return Promise.resolve(undefined);
      checkId(id);
      if (!people.has(id)) people.set(id, load(id));
      return people.get(id)!;
    },
    async professionalAccount(profesionalId) {
      if (!profesionalId) return undefined;
      checkId(profesionalId);
      const [row] = await tx`select usuario_id from public.profesionales where id = ${profesionalId}`;
      return row?.usuario_id;
    },
    async admins() {
      const rows = await tx`
        select id, email, nombre, apellido, is_active from public.usuarios
        where rol = 'ADMIN' and is_active order by fecha_creacion limit 50`;
      return rows.map((r) => ({
        id: r.id,
        email: r.email,
        nombre: r.nombre,
        apellido: r.apellido,
        isActive: true,
      }));
    },
  };
}
