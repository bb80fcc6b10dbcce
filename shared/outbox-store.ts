import type { Sql } from "./db.ts";
import type { EventEnvelope } from "./events.ts";

/**
 * The outbox's state machine, in SQL: `pending → in_progress → published | failed`, and
 * `failed → in_progress` again when its backoff has passed. Claiming is `for update skip locked`,
 * so concurrent relays (after-commit publishes, sweeps in several isolates) never take the same
 * row twice; a claim is a lease (`next_attempt_at`), and a row whose lease ran out (its relay
 * crashed mid-publish) is claimed again.
 */
export type OutboxRow = EventEnvelope & { attempts: number };

type Claimed = {
  id: string;
  type: string;
  aggregate_id: string;
  producer: string;
  payload: Record<string, unknown>;
  created_at: Date;
  attempts: number;
};

function toRow(r: Claimed): OutboxRow {
  return {
    id: r.id,
    type: r.type,
    aggregate_id: r.aggregate_id,
    producer: r.producer,
    payload: r.payload,
    created_at: r.created_at.toISOString(),
    attempts: r.attempts,
  };
}

/** Claims the given rows if they are still pending (right after their transaction committed). */
export async function claimPending(sql: Sql, ids: string[], leaseMs: number): Promise<OutboxRow[]> {
  if (!ids.length) return [];
  const rows = await sql<Claimed[]>`
    with mine as (
      select id from public.outbox
      where id = any(${ids}::uuid[]) and status = 'pending'
      for update skip locked
    )
    update public.outbox o
    set status = 'in_progress', attempts = o.attempts + 1,
        next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
    from mine where o.id = mine.id
    returning o.id, o.type, o.aggregate_id, o.producer, o.payload, o.created_at, o.attempts`;
  return rows.map(toRow);
}

export type DueOptions = {
  /** The sweep's clock (defaults to the database's `now()`). */
  asOf?: Date;
  graceMs: number;
  leaseMs: number;
  limit: number;
  /** Only rows of this producer. */
  producer?: string;
};

/**
 * Claims rows the after-commit publish did not finish: pending for longer than the grace period
 * (the process died before publishing), in progress past their lease (died while publishing),
 * and failed ones whose backoff has passed. Oldest due first.
 */
export async function claimDue(sql: Sql, options: DueOptions): Promise<OutboxRow[]> {
  const asOf = options.asOf ?? null;
  const rows = await sql<Claimed[]>`
    with clock as (select coalesce(${asOf}::timestamptz, now()) as t),
    due as (
      select o.id from public.outbox o, clock
      where o.status in ('pending', 'in_progress', 'failed')
        and o.next_attempt_at <= clock.t
        and (o.status <> 'pending'
          or o.next_attempt_at <= clock.t - make_interval(secs => ${options.graceMs / 1000}))
        and (${options.producer ?? null}::text is null or o.producer = ${options.producer ?? null})
      order by o.next_attempt_at
      limit ${options.limit}
      for update of o skip locked
    )
    update public.outbox o
    set status = 'in_progress', attempts = o.attempts + 1,
        next_attempt_at = clock.t + make_interval(secs => ${options.leaseMs / 1000})
    from due, clock where o.id = due.id
    returning o.id, o.type, o.aggregate_id, o.producer, o.payload, o.created_at, o.attempts`;
  return rows.map(toRow);
}

/**
 * Published is final, whoever got there (a relay whose lease ran out may finish second). The
 * payload's secret keys go now (`secretKeys` of emitEvent): QStash holds the copy subscribers get.
 */
export async function markPublished(sql: Sql, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await sql`
    update public.outbox
    set status = 'published', published_at = now(), last_error = null,
        payload = payload - redact_on_publish, redact_on_publish = '{}'
    where id = any(${ids}::uuid[]) and status <> 'published'`;
}

/**
 * Failed, to be retried after `delayMs`; only by the relay holding the current claim.
 * `unreachable`: QStash was not reached at all (the row may go sooner once it is, see
 * `reviveUnreachable`), as opposed to QStash refusing this message.
 */
export async function markFailed(
  sql: Sql,
  row: OutboxRow,
  options: { error: string; delayMs: number; unreachable: boolean },
): Promise<void> {
  await sql`
    update public.outbox
    set status = 'failed', last_error = ${options.error.slice(0, 1000)}, unreachable = ${options.unreachable},
        next_attempt_at = now() + make_interval(secs => ${options.delayMs / 1000})
    where id = ${row.id} and status = 'in_progress' and attempts = ${row.attempts}`;
}

export type ReviveOptions = {
  /** The sweep's clock (defaults to the database's `now()`). */
  asOf?: Date;
  /** How far ahead a row backing off can be due: the longest backoff, jitter included. */
  horizonMs: number;
  limit: number;
  /** Only rows of this producer. */
  producer?: string;
};

/**
 * Makes failed rows that could not reach QStash due now instead of at the end of their backoff,
 * oldest first: the sweep calls it once QStash has accepted messages again, so the backlog of an
 * outage goes out within a sweep interval, not up to RELAY_BACKOFF_MAX_MS later. Rows refused
 * by QStash, and rows due beyond `horizonMs` (not backing off from a relay failure), keep their
 * time. Returns how many rows it made due.
 */
export async function reviveUnreachable(sql: Sql, options: ReviveOptions): Promise<number> {
  const asOf = options.asOf ?? null;
  const rows = await sql`
    with clock as (select coalesce(${asOf}::timestamptz, now()) as t),
    backlog as (
      select o.id from public.outbox o, clock
      where o.status = 'failed' and o.unreachable
        and o.next_attempt_at > clock.t
        and o.next_attempt_at <= clock.t + make_interval(secs => ${options.horizonMs / 1000})
        and (${options.producer ?? null}::text is null or o.producer = ${options.producer ?? null})
      order by o.next_attempt_at
      limit ${options.limit}
      for update of o skip locked
    )
    update public.outbox o set next_attempt_at = clock.t
    from backlog, clock where o.id = backlog.id
    returning o.id`;
  return rows.length;
}

/** `base · 2^(attempts−1)`, capped, with ±20 % jitter so retries of many rows spread out. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.8 + Math.random() * 0.4));
}

/**
 * Deletes what no longer needs keeping, a batch at a time: published events after
 * `publishedDays` (their subscribers have long had them) and inbox records after `inboxDays`
 * (far beyond QStash's retries and dead-letter retention, so a late redelivery is still a no-op).
 */
export async function pruneEventTables(
  sql: Sql,
  options: { publishedDays: number; inboxDays: number; limit: number },
): Promise<{ outbox: number; inbox: number }> {
  const outbox = await sql`
    with old as (
      select id from public.outbox
      where status = 'published' and published_at < now() - make_interval(days => ${options.publishedDays})
      limit ${options.limit})
    delete from public.outbox o using old where o.id = old.id returning o.id`;
  const inbox = await sql`
    with old as (
      select consumer, event_id from public.inbox
      where received_at < now() - make_interval(days => ${options.inboxDays})
      limit ${options.limit})
    delete from public.inbox i using old
    where i.consumer = old.consumer and i.event_id = old.event_id returning i.event_id`;
  return { outbox: outbox.length, inbox: inbox.length };
}
