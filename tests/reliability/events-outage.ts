import postgres from "postgres";
import type { Sql } from "../../shared/db.ts";
import { emitEvent } from "../../shared/events.ts";
import type { Platform } from "../../shared/platform.ts";
import { subscribersOf } from "../../shared/relay.ts";
import { freePort } from "../../scripts/local/ports.ts";
import { startQStashStandIn } from "../fakes/qstash.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { testConfig } from "../support/env.ts";
import { settledViolations, type Violation } from "../support/invariants.ts";
import type { FaultOutcome, FaultScenario } from "./faults.ts";
import { type HostProcess, startHostProcess } from "./host-process.ts";
import { startOwnPostgres } from "./own-postgres.ts";
import { PASSWORD } from "./signed-up.ts";
import { eventually } from "./wait.ts";
import { testPlatform } from "../support/platform.ts";

/**
 * Events committed while their road is cut arrive once it is back, each handled once:
 * - `qstashDown`: QStash (a stand-in of the scenario's own) does not answer while people register
 *   through a functions host process; the relay's sweep publishes the events once it is back,
 *   without waiting out their backoff;
 * - `notificationsDown`: the functions host serving `notifications` is killed while events are
 *   published; QStash's retries deliver them once it is started again.
 */
export type EventsOutage = {
  /** What the requests that caused the events answered while it lasted (qstashDown: registrations). */
  causes: number[];
  /** Events whose notification was there before recovery (there must be none). */
  deliveredEarly: number;
  /** From the road being back to the last of the events' notifications. */
  recoveryMs: number | null;
  /** Per event: notifications written for it and subscribers' inbox rows (one each). */
  handled: { eventId: string; notifications: number; inbox: number; subscribers: number }[];
  violations: Violation[];
};

const EVENTS = 3;

export async function qstashDown(): Promise<EventsOutage> {
  const env = Deno.env.toObject();
  const port = freePort();
  // A database of its own: the stack's scheduled sweep would publish these events through the
  // run's QStash, which is up.
  const pg = await startOwnPostgres();
  const sql = postgres(pg.databaseUrl, { prepare: false, max: 2, onnotice: () => {} });
  let qstash: { stop(): Promise<void> } | null = null;
  let host: HostProcess | null = null;
  try {
    host = await startHostProcess({
      ...env,
      DATABASE_URL: pg.databaseUrl,
      QSTASH_URL: `http://127.0.0.1:${port}`,
      // As after a long outage: every failed publish backs off a minute or more (48 s at least,
      // beyond the 30 s this scenario waits), so only the sweep's revival once QStash takes a
      // probe again can bring the events in time.
      RELAY_BACKOFF_BASE_MS: "60000",
      RELAY_BACKOFF_MAX_MS: "900000",
      PASSWORD_SCRYPT_LOG_N: "13",
      PASSWORD_SCRYPT_P: "1",
    });
    const causes: number[] = [];
    for (let i = 0; i < EVENTS; i++) {
      causes.push((await host.gateway.json("POST", "/api/v1/auth/register", { body: newPerson() })).status);
    }
    const eventIds = (await sql<{ id: string }[]>`select id from public.outbox
      where type = 'user.registered' order by created_at`).map((r) => r.id);
    // Every publish failed and was recorded; nothing was delivered.
    await eventually(async () => (await outboxStates(sql, eventIds)).every((s) => s === "failed"), 15_000);
    const deliveredEarly = (await handled(sql, eventIds)).filter((h) => h.notifications > 0).length;

    qstash = scenarioQStash({ port, retryBaseMs: 150 });
    const back = performance.now();
    const arrived = await eventually(
      async () => (await handled(sql, eventIds)).every((h) => h.notifications > 0),
      30_000,
    );
    const recoveryMs = arrived ? Math.round(performance.now() - back) : null;
    return {
      causes,
      deliveredEarly,
      recoveryMs,
      handled: await handled(sql, eventIds),
      violations: await settledViolations(sql, {}),
    };
  } finally {
    await host?.stop();
    await qstash?.stop();
    await sql.end();
    await pg.destroy();
  }
}

function newPerson() {
  const email = `qstash-down-${crypto.randomUUID().slice(0, 12)}@example.com`;
  return { email, password: PASSWORD, nombre: "Ana", apellido: "Paz", rol: "CLIENTE" };
}

export async function notificationsDown(): Promise<EventsOutage> {
  const env = Deno.env.toObject();
  // A QStash of its own that retries for a while (0.5 s, doubling, 6 times: ~30 s), as QStash does for longer.
  const qstash = scenarioQStash({ retryBaseMs: 500, defaultRetries: 6 });
  const host = await startHostProcess({ ...env, QSTASH_URL: qstash.url });
  // The producer: a function of its own publishing to that QStash, addressed to the host.
  const producer = testPlatform("auth", { QSTASH_URL: qstash.url, FUNCTIONS_PUBLIC_URL: host.url });
  try {
    await host.kill();
    const { people, eventIds } = await registrations(producer);
    // Published to QStash, whose first deliveries find nobody.
    await allPublished(eventIds);
    await new Promise((r) => setTimeout(r, 700));
    return await restarted(host, { people, eventIds });
  } finally {
    await producer.close();
    await host.stop();
    await qstash.stop();
  }
}

/** A QStash of the scenario's own, with the run's token and signing keys (the receivers verify them). */
export function scenarioQStash(options: { port?: number; retryBaseMs: number; defaultRetries?: number }) {
  const env = Deno.env.toObject();
  return startQStashStandIn({
    token: env.QSTASH_TOKEN,
    currentSigningKey: env.QSTASH_CURRENT_SIGNING_KEY,
    nextSigningKey: env.QSTASH_NEXT_SIGNING_KEY,
    ...options,
  });
}

/** Waits until the relay published every one of `eventIds` to QStash. */
export async function allPublished(eventIds: string[]): Promise<void> {
  await eventually(
    async () => (await outboxStates(testSql(), eventIds)).every((s) => s === "published"),
    10_000,
  );
}

/**
 * Starts the (killed) host again and waits for each event's notification: the outcome of a
 * subscriber outage, counting what had been delivered before the restart (there must be nothing).
 */
export async function restarted(
  host: HostProcess,
  { people, eventIds }: { people: { id: string }[]; eventIds: string[] },
): Promise<EventsOutage> {
  const deliveredEarly = (await handled(testSql(), eventIds)).filter((h) => h.notifications > 0).length;
  await host.start();
  const back = performance.now();
  const arrived = await eventually(
    async () => (await handled(testSql(), eventIds)).every((h) => h.notifications > 0),
    30_000,
  );
  return {
    causes: people.map(() => 200),
    deliveredEarly,
    recoveryMs: arrived ? Math.round(performance.now() - back) : null,
    handled: await handled(testSql(), eventIds),
    violations: await settledViolations(testSql(), { refs: [...people.map((p) => p.id), ...eventIds] }),
  };
}

/** `EVENTS` new clients and their `user.registered` events, emitted by `producer`. */
export async function registrations(producer: Platform) {
  const people = await Promise.all(Array.from({ length: EVENTS }, () => createAccount("CLIENTE")));
  const eventIds: string[] = [];
  for (const person of people) {
    eventIds.push(
      await producer.db.asService((tx) =>
        emitEvent(tx, {
          type: "user.registered",
          aggregateId: person.id,
          producer: "auth",
          payload: { user_id: person.id, email: person.email, rol: "CLIENTE" },
        })
      ),
    );
  }
  return { people, eventIds };
}

export async function outboxStates(sql: Sql, eventIds: string[]): Promise<string[]> {
  const rows = await sql<{ status: string }[]>`select status from public.outbox
    where id = any(${eventIds}::uuid[])`;
  return rows.map((r) => r.status);
}

export async function handled(sql: Sql, eventIds: string[]): Promise<EventsOutage["handled"]> {
  const subscribers = subscribersOf("user.registered", testConfig().EVENT_SUBSCRIBERS).length;
  const rows = await sql<{ eventId: string; notifications: number; inbox: number }[]>`
    select o.id as "eventId",
      (select count(*)::int from public.notifications n where n.event_id = o.id) as notifications,
      (select count(*)::int from public.inbox i where i.event_id = o.id) as inbox
    from public.outbox o where o.id = any(${eventIds}::uuid[]) order by o.created_at`;
  return rows.map((r) => ({ ...r, subscribers }));
}

export function eventsOutageOutcome(result: EventsOutage, userSaw: string): FaultOutcome {
  const once = result.handled.every((h) => h.notifications === 1 && h.inbox === h.subscribers);
  return {
    userSaw,
    recoveryMs: result.recoveryMs,
    invariantsHeld: once && result.deliveredEarly === 0 && result.violations.length === 0,
    notes: `${result.handled.length} events, each notified once after recovery`,
  };
}

export const QSTASH_DOWN: FaultScenario = {
  name: "qstash-down",
  fault: "QStash unreachable while people register (events committed, publishes failing)",
  run: async () => {
    const result = await qstashDown();
    return eventsOutageOutcome(
      result,
      `registrations answered ${[...new Set(result.causes)].join("/")}; welcome notifications late`,
    );
  },
};

export const NOTIFICATIONS_DOWN: FaultScenario = {
  name: "notifications-down",
  fault: "the functions host serving notifications killed (SIGKILL) while events are published",
  run: async () => eventsOutageOutcome(await notificationsDown(), "nothing at once; notifications late"),
};
