import type postgres from "postgres";
import { DEFAULT_EVENT_SUBSCRIBERS, loadConfig } from "../../shared/config.ts";
import { parseSubscribers } from "../../shared/config-parsers.ts";

/**
 * The marketplace's invariants as one call: `public.invariant_violations()` (migration
 * 20261216000100_platform_invariants.sql), which reuses the ledger and payout checks and adds the
 * event, notification, rating and balance ones. Used by tests (scoped to their own rows: test
 * files run in parallel in one database, some of them mid-transition), by `deno task invariants`
 * and by the reliability tests after a fault.
 *
 * @example
 * const found = await invariantViolations(testSql(), { refs: [jobId, client.id, pro.id] });
 * assert.deepEqual(found, []);
 */
export const CHECKS = [
  "ledger",
  "one-applied-payment",
  "released-xor-refunded",
  "events",
  "notifications",
  "ratings",
  "balances",
] as const;
export type Check = typeof CHECKS[number];
export type Violation = { invariante: Check; problema: string; referencia: string };

export type InvariantOptions = {
  /** Only violations about these ids (jobs, people, profiles, withdrawals, events); all when absent. */
  refs?: string[];
  /** How long a published event may still be on its way to its subscribers (default 30 s). */
  graceSeconds?: number;
  /** The relay's subscribers; default: the configuration of this process's environment. */
  subscribers?: Record<string, readonly string[]>;
};

type Queryable = postgres.Sql | postgres.TransactionSql;

export async function invariantViolations(
  sql: Queryable,
  options: InvariantOptions = {},
): Promise<Violation[]> {
  const subscribers = options.subscribers ?? subscribersOf(Deno.env.toObject());
  const rows = await sql<Violation[]>`
    select invariante, problema, referencia
    from public.invariant_violations(${sql.json(subscribers as postgres.JSONValue)},
      make_interval(secs => ${options.graceSeconds ?? 30}), ${options.refs ?? null}::uuid[])
    order by invariante, problema, referencia`;
  return rows.map((r) => ({ invariante: r.invariante, problema: r.problema, referencia: r.referencia }));
}

/**
 * Waits until no invariant is broken for `refs` (events, notifications and ratings settle after
 * the request that caused them) and answers what is still broken after `timeoutMs` (empty = sound).
 */
export async function settledViolations(
  sql: Queryable,
  options: InvariantOptions & { timeoutMs?: number } = {},
): Promise<Violation[]> {
  const until = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    // No grace while waiting: an undelivered event is a violation until it arrives.
    const found = await invariantViolations(sql, { graceSeconds: 0, ...options });
    if (!found.length || Date.now() > until) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One line per check: `ok` or its violations (what `deno task invariants` prints). */
export function report(found: Violation[]): string[] {
  return CHECKS.flatMap((check) => {
    const mine = found.filter((v) => v.invariante === check);
    return mine.length
      ? [`${check}: ${mine.length} violation(s)`, ...mine.map((v) => `  ${v.problema}: ${v.referencia}`)]
      : [`${check}: ok`];
  });
}

/**
 * The relay's subscribers as this environment configures them; a checker run with only
 * DATABASE_URL (not a whole function's configuration) gets EVENT_SUBSCRIBERS or the default.
 */
export function subscribersOf(env: Record<string, string>): Record<string, readonly string[]> {
  try {
    return loadConfig(env).EVENT_SUBSCRIBERS;
  } catch {
    return parseSubscribers(env.EVENT_SUBSCRIBERS ?? DEFAULT_EVENT_SUBSCRIBERS);
  }
}
