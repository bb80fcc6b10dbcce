import type { PlatformConfig } from "./config.ts";
import type { Sql } from "./db.ts";
import type { ServiceName } from "./function-names.ts";
import { describeError, type Logger } from "./log.ts";
import {
  createQStashDeadLetters,
  type DeadLetter,
  type QStashConfig,
  type QStashDeadLetters,
} from "./qstash.ts";
import { eventsUrl } from "./relay.ts";

/**
 * Redrives our QStash dead letters: QStash gives up on a delivery after its last retry (a
 * subscriber down for longer than that) and moves the message to its dead-letter queue (DLQ),
 * where nothing would deliver it again. The relay sweep (`POST /notifications/events/sweep`) runs
 * `sweep()`, which lists the DLQ for every subscriber's `/<fn>/events` at most every
 * RELAY_DEAD_LETTER_INTERVAL_MS (across isolates: `public.dead_letter_runs`) and decides each
 * dead letter (`decide`):
 *
 * - our receiver refused it (489, a malformed event) or it is not one of our events → kept in the
 *   DLQ for a human, logged at error once;
 * - the subscriber's inbox already has the event → deleted from the DLQ;
 * - else retried through QStash (`dlq.retry`: republished with its retries anew, gone from the
 *   DLQ), at most RELAY_DEAD_LETTER_MAX_REDRIVES times per (event, subscriber); past that kept and
 *   logged at error once.
 *
 * Each decision is a row of `public.dead_letters` keyed by the dead letter's id, written before
 * acting: two runs never redrive one dead letter twice, and a failed retry releases its row so the
 * next run tries again.
 *
 * @example
 * const deadLetters = createDeadLetterRedrive({ config, log, sql });
 * await deadLetters.sweep(); // { redriven: 2, cleared: 0, kept: 1 }, or null when not due
 */
export type DeadLetterReport = {
  redriven: number;
  cleared: number;
  /** Dead letters left in the DLQ for a human (malformed, unrecognized or past the cap). */
  kept: number;
  /** Why the run stopped early (QStash or the database failed); the next run goes on. */
  error?: string;
};
export type DeadLetterRedrive = {
  /** A run when the interval has passed since the last one for our events URLs; else null. */
  sweep(): Promise<DeadLetterReport | null>;
  /** A run now, whatever the interval. */
  redrive(): Promise<DeadLetterReport>;
};
export type DeadLetterConfig =
  & QStashConfig
  & Pick<
    PlatformConfig,
    | "FUNCTIONS_PUBLIC_URL"
    | "EVENT_SUBSCRIBERS"
    | "RELAY_LEASE_MS"
    | "RELAY_DEAD_LETTER_INTERVAL_MS"
    | "RELAY_DEAD_LETTER_MAX_REDRIVES"
  >;

export type Outcome = "redriven" | "cleared" | "malformed" | "capped" | "unrecognized";
/** A dead letter as the rules read it: whose it is and which event (null: not one of ours). */
export type Letter = {
  dlqId: string;
  consumer: ServiceName;
  eventId: string | null;
  responseStatus: number | null;
  responseBody: string;
};
/** What the database knows about a letter's event: handled already, redriven how often before. */
export type LetterFacts = { inInbox: boolean; redrives: number };

/** Dead letters per DLQ request, and requests per run (the rest waits for the next run). */
const PAGE_SIZE = 100;
const MAX_PAGES_PER_RUN = 50;
const KEEP_DAYS = 90;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEPT_BECAUSE: Record<Exclude<Outcome, "redriven" | "cleared">, string> = {
  malformed: "its subscriber refused it as malformed (489)",
  unrecognized: "its body is not one of our events",
  capped: "redriven as often as RELAY_DEAD_LETTER_MAX_REDRIVES allows",
};

/** The rule for one dead letter. */
export function decide(letter: Letter, facts: LetterFacts, maxRedrives: number): Outcome {
  if (letter.responseStatus === 489) return "malformed";
  if (!letter.eventId) return "unrecognized";
  if (facts.inInbox) return "cleared";
  return facts.redrives < maxRedrives ? "redriven" : "capped";
}

/** `dead` as a letter of `consumers` (events URL → function); null when addressed elsewhere. */
export function readLetter(dead: DeadLetter, consumers: ReadonlyMap<string, ServiceName>): Letter | null {
  const consumer = consumers.get(dead.url);
  if (!consumer) return null;
  return {
    dlqId: dead.dlqId,
    consumer,
    eventId: eventIdOf(dead.body),
    responseStatus: dead.responseStatus || null,
    responseBody: (dead.responseBody ?? "").slice(0, 500),
  };
}

function eventIdOf(body: string | undefined): string | null {
  try {
    const id = JSON.parse(body ?? "")?.id;
    return typeof id === "string" && UUID.test(id) ? id.toLowerCase() : null;
  } catch {
    return null;
  }
}

export function createDeadLetterRedrive(
  deps: { config: DeadLetterConfig; log: Logger; sql: Sql; dlq?: QStashDeadLetters },
): DeadLetterRedrive {
  const { config, log, sql } = deps;
  const dlq = deps.dlq ?? createQStashDeadLetters(config);

  /** Decides one page, records the decisions, then acts on them. */
  async function settle(letters: Letter[], report: DeadLetterReport) {
    const facts = await factsOf(sql, letters);
    const decided = letters.map((letter) => ({
      letter,
      outcome: decide(letter, facts.get(letter.dlqId)!, config.RELAY_DEAD_LETTER_MAX_REDRIVES),
    }));
    const changed = await record(sql, decided, config.RELAY_LEASE_MS);
    const cleared = decided.filter((d) => d.outcome === "cleared").map((d) => d.letter.dlqId);
    const redrive = decided.filter((d) => d.outcome === "redriven" && changed.has(d.letter.dlqId))
      .map((d) => d.letter.dlqId);
    for (const { letter, outcome } of decided) {
      if (outcome === "redriven" || outcome === "cleared") continue;
      report.kept++;
      if (changed.has(letter.dlqId)) {
        log.error("dead letter kept for a human", {
          dlq_id: letter.dlqId,
          consumer: letter.consumer,
          event_id: letter.eventId,
          outcome,
          reason: KEPT_BECAUSE[outcome],
          response_status: letter.responseStatus,
          response_body: letter.responseBody,
        });
      }
    }
    if (cleared.length) await dlq.delete(cleared);
    report.cleared += cleared.length;
    if (!redrive.length) return;
    try {
      await dlq.retry(redrive);
    } catch (error) {
      // Not redriven after all: the next run decides these again.
      await sql`delete from public.dead_letters where dlq_id = any(${redrive}) and outcome = 'redriven'`;
      throw error;
    }
    report.redriven += redrive.length;
  }

  async function redrive(): Promise<DeadLetterReport> {
    const report: DeadLetterReport = { redriven: 0, cleared: 0, kept: 0 };
    try {
      const consumers = new Map(
        Object.keys(config.EVENT_SUBSCRIBERS).map((
          fn,
        ) => [eventsUrl(config, fn as ServiceName), fn as ServiceName]),
      );
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
        const listed = await dlq.list({ urls: [...consumers.keys()], count: PAGE_SIZE, cursor });
        const letters = listed.messages.map((m) => readLetter(m, consumers)).filter((l) => l !== null);
        if (letters.length) await settle(letters, report);
        cursor = listed.cursor;
        if (!cursor) break;
      }
      await sql`
        delete from public.dead_letters where dlq_id in (
          select dlq_id from public.dead_letters
          where decided_at < now() - make_interval(days => ${KEEP_DAYS}) limit 1000)`;
    } catch (error) {
      const { error: message } = describeError(error);
      log.warn("dead-letter redrive stopped; the next run goes on", { ...report, error: message });
      report.error = String(message);
    }
    return report;
  }

  return {
    redrive,
    async sweep() {
      const scope = config.FUNCTIONS_PUBLIC_URL ?? "";
      const [due] = await sql`
        insert into public.dead_letter_runs (scope, last_run_at) values (${scope}, now())
        on conflict (scope) do update set last_run_at = now()
        where dead_letter_runs.last_run_at
          <= now() - make_interval(secs => ${config.RELAY_DEAD_LETTER_INTERVAL_MS / 1000})
        returning scope`;
      return due ? await redrive() : null;
    },
  };
}

/** Per dead letter: whether its subscriber's inbox has the event, and its earlier redrives. */
async function factsOf(sql: Sql, letters: Letter[]): Promise<Map<string, LetterFacts>> {
  const rows = await sql<{ dlq_id: string; in_inbox: boolean; redrives: number }[]>`
    select l.dlq_id,
      exists (select 1 from public.inbox i where i.consumer = l.consumer and i.event_id = l.event_id)
        as in_inbox,
      (select count(*)::int from public.dead_letters d
        where d.consumer = l.consumer and d.event_id = l.event_id and d.outcome = 'redriven'
          and d.dlq_id <> l.dlq_id) as redrives
    from jsonb_to_recordset(${
    sql.json(letters.map(rowOf) as never)
  }) as l(dlq_id text, consumer text, event_id uuid)`;
  return new Map(rows.map((r) => [r.dlq_id, { inInbox: r.in_inbox, redrives: r.redrives }]));
}

/**
 * Records the decisions; answers the dead letters whose row is new or changed outcome (a kept one
 * is logged then, once), and those a run claimed to redrive longer than `leaseMs` ago without
 * the retry taking them out of the DLQ (that run died in between: redrive them again).
 */
async function record(
  sql: Sql,
  decided: { letter: Letter; outcome: Outcome }[],
  leaseMs: number,
): Promise<Set<string>> {
  const rows = decided.map(({ letter, outcome }) => ({ ...rowOf(letter), outcome }));
  const changed = await sql<{ dlq_id: string }[]>`
    insert into public.dead_letters as d (dlq_id, consumer, event_id, response_status, outcome)
    select dlq_id, consumer, event_id, response_status, outcome
    from jsonb_to_recordset(${sql.json(rows as never)})
      as l(dlq_id text, consumer text, event_id uuid, response_status integer, outcome text)
    on conflict (dlq_id) do update
      set outcome = excluded.outcome, response_status = excluded.response_status, decided_at = now()
      where d.outcome <> excluded.outcome
        or (excluded.outcome = 'redriven' and d.decided_at < now() - make_interval(secs => ${leaseMs / 1000}))
    returning d.dlq_id`;
  return new Set(changed.map((r) => r.dlq_id));
}

function rowOf(letter: Letter) {
  return {
    dlq_id: letter.dlqId,
    consumer: letter.consumer,
    event_id: letter.eventId,
    response_status: letter.responseStatus,
  };
}
