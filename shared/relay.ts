import type { PlatformConfig } from "./config.ts";
import type { ServiceName } from "./function-names.ts";
import type { Sql } from "./db.ts";
import type { EventEnvelope } from "./events.ts";
import { createBatcher, keepAlive } from "./batcher.ts";
import { describeError, type Logger } from "./log.ts";
import {
  backoffMs,
  claimDue,
  claimPending,
  markFailed,
  markPublished,
  type OutboxRow,
  pruneEventTables,
  reviveUnreachable,
} from "./outbox-store.ts";
import { createQStashPublisher, type QStashMessage, type QStashPublisher } from "./qstash.ts";

/**
 * Moves committed outbox rows to QStash, addressed to every subscriber's `POST /<fn>/events`.
 *
 * - Right after a transaction commits, `db` hands the ids it emitted to `publishSoon` (the
 *   platform wires this): fire-and-forget, never failing the request. Publishing is batched:
 *   one claim, one `POST /v2/batch` (QStash's batch API) and one update for many rows. A lone
 *   commit goes out at once; ids committed while earlier publishes run wait and form the next batch.
 * - `sweep()` publishes whatever that left behind — a crash between commit and publish, QStash
 *   down, a publish that timed out — with exponential backoff. A schedule calls it in production
 *   (`POST /notifications/events/sweep`); the local stack calls it on an interval.
 * - After an outage the backlog does not wait out its backoff: once a sweep's publishes all
 *   succeed, rows that failed because QStash could not be reached are due at once (up to
 *   `MAX_SWEEP_PASSES` batches per sweep). When nothing is due but such rows are backing off, the
 *   sweep sends one of them as a probe, so QStash's recovery is noticed within a sweep interval.
 *
 * Delivery is at least once: QStash deduplicates a republish within its window
 * (`deduplicationId` = `<event id>:<subscriber>`, so two subscribers of one event never cancel
 * each other) and each subscriber's inbox makes a redelivery a no-op.
 *
 * A subscriber that fails a delivery is retried by QStash; one down for longer than QStash's
 * retries leaves the message in QStash's dead-letter queue, which the same sweep route redrives
 * (shared/dead-letters.ts: at most every RELAY_DEAD_LETTER_INTERVAL_MS, at most
 * RELAY_DEAD_LETTER_MAX_REDRIVES times per event and subscriber; one the receiver refused as
 * malformed is kept for a human).
 *
 * @example
 * const relay = createRelay({ config, log, sql: db.sql });
 * await relay.sweep(); // { claimed: 2, published: 2, failed: 0 }
 */
export type Relay = {
  publishSoon(eventIds: string[]): void;
  publish(eventIds: string[]): Promise<RelayReport>;
  sweep(options?: { asOf?: Date; producer?: string; limit?: number }): Promise<RelayReport>;
  /** Deletes published events older than 7 days and inbox records older than 90 (batched). */
  prune(): Promise<{ outbox: number; inbox: number }>;
  /** Resolves when every publish started so far has finished. */
  drain(): Promise<void>;
};
export type RelayReport = { claimed: number; published: number; failed: number };
export type RelayConfig = Pick<
  PlatformConfig,
  | "QSTASH_URL"
  | "QSTASH_TOKEN"
  | "QSTASH_CURRENT_SIGNING_KEY"
  | "QSTASH_NEXT_SIGNING_KEY"
  | "FUNCTIONS_PUBLIC_URL"
  | "EVENT_SUBSCRIBERS"
  | "RELAY_PENDING_GRACE_MS"
  | "RELAY_LEASE_MS"
  | "RELAY_BACKOFF_BASE_MS"
  | "RELAY_BACKOFF_MAX_MS"
  | "RELAY_PUBLISH_TIMEOUT_MS"
  | "RELAY_BATCH_SIZE"
>;

/** Messages per `POST /v2/batch` (small envelopes: far below QStash's 1 MB request limit). */
const MESSAGES_PER_BATCH = 100;
/** After-commit publishes running at once; ids committed meanwhile wait and go out as one batch. */
const PARALLEL_FLUSHES = 2;
/** Batches one sweep publishes at most while it works through an outage's backlog. */
const MAX_SWEEP_PASSES = 3;
/** `backoffMs` adds up to 20 % jitter to its cap: how far ahead a row backing off can be due. */
const BACKOFF_JITTER = 1.2;

export function createRelay(
  deps: { config: RelayConfig; log: Logger; sql: Sql; qstash?: QStashPublisher },
): Relay {
  const { config, log, sql } = deps;
  const qstash = deps.qstash ?? createQStashPublisher(config);
  const inflight = new Set<Promise<unknown>>();
  const afterCommit = createBatcher<string>({
    parallel: PARALLEL_FLUSHES,
    max: config.RELAY_BATCH_SIZE,
    run: (ids) => relay.publish(ids),
    onError: (error) => log.error("after-commit publish failed; the sweep will retry", describeError(error)),
  });

  /** Every row's messages in as few batch requests as possible; a row is published when all its are. */
  async function publishAll(rows: OutboxRow[]): Promise<RelayReport> {
    const errors = new Map<string, unknown>();
    // Rows of a batch request that failed as a whole (QStash not reached), not refused one by one.
    const unreachable = new Set<string>();
    const messages: (QStashMessage & { rowId: string })[] = [];
    for (const row of rows) {
      try {
        const envelope = envelopeOf(row);
        for (const fn of subscribersOf(row.type, config.EVENT_SUBSCRIBERS)) {
          messages.push({
            rowId: row.id,
            url: eventsUrl(config, fn),
            body: envelope,
            deduplicationId: `${row.id}:${fn}`,
          });
        }
      } catch (error) {
        errors.set(row.id, error);
      }
    }
    await Promise.all(
      chunks(messages, MESSAGES_PER_BATCH).map(async (batch) => {
        try {
          const outcomes = await withTimeout(qstash.batchJSON(batch), config.RELAY_PUBLISH_TIMEOUT_MS);
          batch.forEach((m, i) => {
            const outcome = outcomes[i];
            if (!outcome || "error" in outcome) errors.set(m.rowId, new Error(outcome?.error ?? "no answer"));
          });
        } catch (error) {
          for (const m of batch) {
            errors.set(m.rowId, error);
            unreachable.add(m.rowId);
          }
        }
      }),
    );
    await markPublished(sql, rows.filter((row) => !errors.has(row.id)).map((row) => row.id));
    await Promise.all(
      rows.filter((row) => errors.has(row.id)).map((row) =>
        recordFailure(row, errors.get(row.id), unreachable.has(row.id))
      ),
    );
    return { claimed: rows.length, published: rows.length - errors.size, failed: errors.size };
  }

  async function recordFailure(row: OutboxRow, error: unknown, unreachable: boolean) {
    const delayMs = backoffMs(row.attempts, config.RELAY_BACKOFF_BASE_MS, config.RELAY_BACKOFF_MAX_MS);
    const { error: message } = describeError(error);
    log.warn("event publish failed", {
      event_id: row.id,
      type: row.type,
      attempts: row.attempts,
      error: message,
    });
    await markFailed(sql, row, { error: String(message), delayMs, unreachable }).catch((e) =>
      log.error("could not record a failed publish", { event_id: row.id, ...describeError(e) })
    );
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inflight.add(promise);
    promise.finally(() => inflight.delete(promise)).catch(() => {});
    keepAlive(promise);
    return promise;
  }

  const relay: Relay = {
    publishSoon: (eventIds) => afterCommit.add(eventIds),
    publish: (eventIds) => track(claimPending(sql, eventIds, config.RELAY_LEASE_MS).then(publishAll)),
    async sweep(options = {}) {
      const limit = options.limit ?? config.RELAY_BATCH_SIZE;
      const scope = { asOf: options.asOf, producer: options.producer };
      const revive = (count: number) =>
        reviveUnreachable(sql, {
          ...scope,
          horizonMs: config.RELAY_BACKOFF_MAX_MS * BACKOFF_JITTER,
          limit: count,
        });
      const claim = () =>
        claimDue(sql, {
          ...scope,
          graceMs: config.RELAY_PENDING_GRACE_MS,
          leaseMs: config.RELAY_LEASE_MS,
          limit,
        });
      const report: RelayReport = { claimed: 0, published: 0, failed: 0 };
      let rows = await claim();
      // Nothing due, yet rows may be backing off from an outage: one of them tells whether it is over.
      if (!rows.length && await revive(1)) rows = await claim();
      for (let pass = 1; rows.length; pass++) {
        const outcome = await track(publishAll(rows));
        report.claimed += outcome.claimed;
        report.published += outcome.published;
        report.failed += outcome.failed;
        if (outcome.failed || pass === MAX_SWEEP_PASSES) break;
        // QStash takes messages: what failed to reach it need not wait for its backoff.
        await revive(limit);
        rows = await claim();
      }
      return report;
    },
    prune: () => pruneEventTables(sql, { publishedDays: 7, inboxDays: 90, limit: 1000 }),
    async drain() {
      await afterCommit.drain();
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
  };
  return relay;
}

/** The functions whose subscription patterns match `type` (`*`, `job.*`, `job.paid`). */
export function subscribersOf(type: string, subscribers: RelayConfig["EVENT_SUBSCRIBERS"]): ServiceName[] {
  const aggregate = type.split(".")[0];
  return (Object.entries(subscribers) as [ServiceName, string[]][])
    .filter(([, patterns]) => patterns.some((p) => p === "*" || p === type || p === `${aggregate}.*`))
    .map(([fn]) => fn);
}

/** Where QStash delivers a function's events: its public URL, which its receiver verifies. */
export function eventsUrl(config: Pick<PlatformConfig, "FUNCTIONS_PUBLIC_URL">, fn: ServiceName): string {
  if (!config.FUNCTIONS_PUBLIC_URL) throw new Error("FUNCTIONS_PUBLIC_URL is not configured");
  return `${config.FUNCTIONS_PUBLIC_URL.replace(/\/+$/, "")}/${fn}/events`;
}

function envelopeOf(row: OutboxRow): EventEnvelope {
  const { attempts: _attempts, ...envelope } = row;
  return envelope;
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from(
    { length: Math.ceil(items.length / size) },
    (_, i) => items.slice(i * size, (i + 1) * size),
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`QStash did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
