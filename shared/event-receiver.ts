import type { Hono } from "hono";
import { z } from "zod";
import type { ServiceName } from "./function-names.ts";
import type { Db, Sql, Tx } from "./db.ts";
import { AppError } from "./errors.ts";
import type { EventEnvelope } from "./events.ts";
import type { AppEnv } from "./app-env.ts";
import { describeError, type Logger } from "./log.ts";
import type { Platform } from "./platform.ts";
import { createSignatureVerifier } from "./qstash.ts";
import { eventsUrl } from "./relay.ts";

/**
 * `POST /<fn>/events`: where QStash delivers the events a function subscribes to
 * (`EVENT_SUBSCRIBERS`). Every function mounts the same receiver with its own handlers:
 *
 * 1. `Upstash-Signature` is verified against the current and next signing keys and the function's
 *    PUBLIC URL (`FUNCTIONS_PUBLIC_URL/<fn>/events`) → 401 and nothing stored when it fails;
 * 2. the event id goes into `public.inbox` (consumer = function name) in the same transaction as
 *    the handler's effects → a redelivery finds it and is acknowledged (200) without effects;
 * 3. an event type without a handler is acknowledged and recorded; a handler error answers 500
 *    (QStash retries with backoff); a `PermanentEventError` answers 489 with
 *    `Upstash-NonRetryable-Error` (straight to QStash's dead-letter queue, no pointless retries).
 *
 * Work that must not run twice and cannot join the transaction (e-mail, push) goes in a table in
 * the transaction and is sent by `afterCommit`.
 *
 * @example
 * mountEventReceiver(app, platform, {
 *   "user.registered": async (tx, event) => { await tx`insert into …`; },
 * });
 */
export type EventHandler = (tx: Tx, event: EventEnvelope) => Promise<EventHandled | void>;
export type EventHandled = { afterCommit?: () => Promise<void> };
/**
 * A handler the receiver does not wrap in a transaction: it claims the event itself, with its
 * effects — only when the claim is new, so a redelivery writes nothing — and answers whether it
 * was. For a hot path, in ONE statement (one round trip instead of BEGIN … COMMIT; a SQL function
 * does it best, its plans are kept per session: migrations/*_notifications_record_event.sql); for
 * a handler that first calls another service, in a transaction of its own after that call
 * (`claimEvent`), so that no connection is held while the other service answers.
 *
 * @example
 * { selfCommitting: async (sql, event, consumer) => {
 *   const [row] = await sql`select public.record_x(${consumer}, ${event.id}, ${event.type}, …) as fresh`;
 *   return { fresh: row.fresh };
 * } }
 */
export type SelfCommittingHandler = {
  selfCommitting(
    sql: Sql,
    event: EventEnvelope,
    consumer: string,
  ): Promise<EventHandled & { fresh: boolean }>;
};
export type EventHandlers = Readonly<Record<string, EventHandler | SelfCommittingHandler>>;
export type ReceiveStatus = "processed" | "duplicate" | "ignored";

/** The event can never be handled (bad payload): retrying would not help. */
export class PermanentEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentEventError";
  }
}

const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().regex(/^[a-z][a-z_]*\.[a-z][a-z_]*$/),
  aggregate_id: z.string(),
  producer: z.string(),
  payload: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

export function mountEventReceiver(app: Hono<AppEnv>, platform: Platform, handlers: EventHandlers): void {
  const consumer = platform.fn as ServiceName;
  const verify = createSignatureVerifier(platform.config);
  app.post("/events", async (c) => {
    const body = await c.req.text();
    const url = eventsUrl(platform.config, consumer);
    if (!(await verify({ signature: c.req.header("upstash-signature"), body, url }))) {
      throw new AppError("unauthorized", "Firma de QStash inválida, vencida o ausente");
    }
    const log = { request_id: c.var.requestId, message_id: c.req.header("upstash-message-id") };
    try {
      const event = parseEnvelope(body);
      const status = await receiveEvent(platform.db, { consumer, handlers, log: platform.log }, event);
      platform.log.info("event received", { ...log, event_id: event.id, type: event.type, status });
      return c.json({ status, event_id: event.id });
    } catch (error) {
      if (!(error instanceof PermanentEventError)) throw error;
      platform.log.error("event cannot be handled", { ...log, error: error.message });
      return new Response(
        JSON.stringify({ detail: error.message, code: "bad_request", request_id: log.request_id }),
        {
          status: 489,
          headers: { "content-type": "application/json", "upstash-nonretryable-error": "true" },
        },
      );
    }
  });
}

export function parseEnvelope(body: string): EventEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new PermanentEventError("El evento no es JSON válido");
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) throw new PermanentEventError(`Evento mal formado: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/**
 * Records that `consumer` has handled `event` (its inbox row); false when it already had. Effects
 * written in the same transaction therefore happen once.
 *
 * @example
 * await db.asService(async (tx) => { if (await claimEvent(tx, consumer, event)) await applyIt(tx); });
 */
export async function claimEvent(sql: Sql | Tx, consumer: string, event: EventEnvelope): Promise<boolean> {
  const rows = await sql`
    insert into public.inbox (consumer, event_id, event_type)
    values (${consumer}, ${event.id}, ${event.type})
    on conflict (consumer, event_id) do nothing
    returning event_id`;
  return rows.length > 0;
}

/**
 * Handles one event exactly once per consumer: inbox row and effects commit together, then the
 * handler's `afterCommit` runs (its failures are logged; what it sends is retried by its owner).
 */
export async function receiveEvent(
  db: Db,
  options: { consumer: string; handlers: EventHandlers; log: Logger },
  event: EventEnvelope,
): Promise<ReceiveStatus> {
  let afterCommit: EventHandled["afterCommit"];
  const handler = options.handlers[event.type];
  let status: ReceiveStatus;
  if (!handler) {
    status = await claimEvent(db.sql, options.consumer, event) ? "ignored" : "duplicate";
  } else if (typeof handler !== "function") {
    const handled = await handler.selfCommitting(db.sql, event, options.consumer);
    afterCommit = handled.afterCommit;
    status = handled.fresh ? "processed" : "duplicate";
  } else {
    status = await db.asService(async (tx): Promise<ReceiveStatus> => {
      if (!(await claimEvent(tx, options.consumer, event))) return "duplicate";
      afterCommit = (await handler(tx, event))?.afterCommit;
      return "processed";
    });
  }
  if (afterCommit) {
    await afterCommit().catch((error) =>
      options.log.error("after-commit work failed; it will be retried", {
        event_id: event.id,
        ...describeError(error),
      })
    );
  }
  return status;
}
