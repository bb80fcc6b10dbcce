import { recordEmittedEvents, type Tx } from "./db.ts";

/**
 * A domain event, written to the transactional outbox in the same transaction as the change it
 * announces. Types are past tense, `<aggregate>.<verb>`: `user.registered`, `kyc.approved`.
 * Emit from `db.asService` (or a security-definer SQL function): API roles cannot write the
 * outbox, so that no user can forge an event through Supabase's REST API.
 *
 * @example
 * await db.asService(async (tx) => {
 *   const user = await createUser(tx, input);
 *   await emitEvent(tx, { type: "user.registered", aggregateId: user.id, producer: "auth", payload: { user_id: user.id } });
 * });
 */
export type DomainEvent = {
  type: string;
  aggregateId: string;
  producer: string;
  payload: Record<string, unknown>;
  /**
   * Payload keys holding a live secret (a link with a one-time token): subscribers receive them,
   * our outbox row drops them once QStash has the event.
   */
  secretKeys?: readonly string[];
};

/** What subscribers receive (the outbox row, as published). */
export type EventEnvelope = {
  id: string;
  type: string;
  aggregate_id: string;
  producer: string;
  payload: Record<string, unknown>;
  created_at: string;
};

export async function emitEvent(tx: Tx, event: DomainEvent): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into public.outbox (type, aggregate_id, producer, payload, redact_on_publish)
    values (${event.type}, ${event.aggregateId}, ${event.producer}, ${tx.json(event.payload as never)},
      ${[...(event.secretKeys ?? [])]}::text[])
    returning id`;
  trackEmittedEvents(tx, [row.id]);
  return row.id;
}

/**
 * For outbox rows written by SQL (a security-definer transition function that inserts into
 * `public.outbox` and returns the ids): registers them like `emitEvent` does, so the relay
 * publishes them right after the commit instead of at the next sweep.
 *
 * @example
 * const [row] = await tx`select * from public.accept_offer(${id})`; // returns event_id
 * trackEmittedEvents(tx, [row.event_id]);
 */
export function trackEmittedEvents(tx: Tx, eventIds: string[]): void {
  recordEmittedEvents(tx, eventIds);
}
