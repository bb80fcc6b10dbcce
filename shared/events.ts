import type { Tx } from "./db.ts";

/**
 * A domain event, written to the transactional outbox in the same transaction as the change it
 * announces. Types are past tense, `<aggregate>.<verb>`: `user.registered`, `kyc.approved`.
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
    insert into public.outbox (type, aggregate_id, producer, payload)
    values (${event.type}, ${event.aggregateId}, ${event.producer}, ${tx.json(event.payload as never)})
    returning id`;
  return row.id;
}
