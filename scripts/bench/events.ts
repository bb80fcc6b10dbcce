import postgres from "postgres";
import { cpuUsage } from "node:process";
import { loadConfig } from "../../shared/config.ts";
import { emitEvent } from "../../shared/events.ts";
import { createPlatform } from "../../shared/platform.ts";
import { round } from "./measure.ts";
import { processCpuMicros } from "./processes.ts";
import type { BenchContext, Benchmark } from "./types.ts";

/**
 * Events end to end on the local stack: a transaction writes `user.registered` → the relay
 * publishes it after commit (batched, `POST /v2/batch`) → the QStash stand-in delivers it, signed,
 * over HTTP → the notifications function (the stack's functions host) verifies it and writes the
 * inbox row and the in-app notification in one statement (then e-mails the welcome to the sink).
 * Writers, relay, stand-ins and functions all run in this process, on one JavaScript thread.
 *
 * Three loads, each its own events (tagged by `producer`): one event at a time (each waits for its
 * notification: the floor), one writer and 16 concurrent writers committing as fast as they can.
 * Latency is commit → in-app notification on the database's own clock (outbox.created_at →
 * notifications.created_at); events/s is the events over first commit → last notification.
 * The CPU each event costs — this process, and Postgres (this database's backends, read from
 * /proc: the stack runs them on this machine) — shows what bounds the rate here.
 */
const GOAL_P95_MS = 250;
const GOAL_EVENTS_PER_S = 500;

type Phase = {
  label: string;
  count: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number[];
  /** commit → the relay's publish accepted by QStash (outbox.published_at), ms: the relay's share. */
  published: { p50: number; p95: number };
  /** CPU ms per event: this process, and Postgres. */
  cpu: { process: number; postgres: number };
};

export const eventsBenchmark: Benchmark = {
  name: "events",
  async run(ctx) {
    const sizes = ctx.quick ? { alone: 20, one: 100, sixteen: 200 } : { alone: 100, one: 500, sixteen: 1000 };
    const platform = createPlatform(loadConfig({ ...ctx.env, LOG_LEVEL: "error" }), "auth");
    const sql = postgres(ctx.env.DATABASE_URL, { prepare: false, max: 2, onnotice: () => {} });
    try {
      const users = await sql<{ id: string }[]>`
        select (public.create_usuario('bench-events-' || g || '-' || ${crypto.randomUUID()} || '@example.com',
          'Bench', 'Events', 'CLIENTE')).id
        from generate_series(1, ${sizes.alone + sizes.one + sizes.sixteen}) g`;
      const ids = users.map((u) => u.id);
      const emit = (userId: string, producer: string) =>
        platform.db.asService((tx) =>
          emitEvent(tx, {
            type: "user.registered",
            aggregateId: userId,
            producer,
            payload: { user_id: userId },
          })
        );
      const run = (label: string, writers: number, people: string[], waitEach = false) =>
        runPhase({ ctx, sql, emit, label, writers, people, waitEach });

      const alone = await run("one at a time", 1, ids.splice(0, sizes.alone), true);
      const one = await run("1 writer", 1, ids.splice(0, sizes.one));
      const sixteen = await run("16 writers", 16, ids.splice(0, sizes.sixteen));
      recordFigures(ctx, [alone, one, sixteen]);

      const met = (ok: boolean) => ok ? "met" : "NOT met";
      const fastEnough = met(sixteen.p95 <= GOAL_P95_MS);
      const enough = met(sixteen.perSecond >= GOAL_EVENTS_PER_S);
      return [
        ...[alone, one, sixteen].map(describePhase),
        ...[one, sixteen].map(describeWait),
        ...[one, sixteen].map(describeCpu),
        `goal, 16 writers: commit → in-app p95 ≤ ${GOAL_P95_MS} ms — ${fastEnough} ` +
        `(p95 ${sixteen.p95} ms; one at a time p95 ${alone.p95} ms)`,
        `goal, 16 writers: ≥ ${GOAL_EVENTS_PER_S} events/s — ${enough} ` +
        `(${sixteen.perSecond} events/s; 1 writer ${one.perSecond} events/s)`,
      ];
    } finally {
      await platform.close();
      await sql.end();
    }
  },
};

async function runPhase(options: {
  ctx: BenchContext;
  sql: postgres.Sql;
  emit: (userId: string, producer: string) => Promise<string>;
  label: string;
  writers: number;
  people: string[];
  waitEach: boolean;
}): Promise<Phase> {
  const { ctx, sql, emit, people } = options;
  const producer = `bench-${crypto.randomUUID().slice(0, 8)}`;
  ctx.log(`${people.length} events, ${options.label}`);
  const before = await cpuNow(sql);
  let next = 0;
  await Promise.all(Array.from({ length: options.writers }, async () => {
    while (next < people.length) {
      const id = await emit(people[next++], producer);
      if (options.waitEach) await until(() => notified(sql, { id }), 1, { timeoutMs: 10_000, everyMs: 5 });
    }
  }));
  // Polled sparingly: the polls' own CPU counts in the phase's figures.
  await until(() => notified(sql, { producer }), people.length, { timeoutMs: 120_000, everyMs: 25 });
  const after = await cpuNow(sql);

  const samples = (await sql<{ ms: number }[]>`
    select extract(epoch from n.created_at - o.created_at)::float8 * 1000 as ms
    from public.outbox o join public.notifications n on n.event_id = o.id
    where o.producer = ${producer} order by ms`).map((r) => round(r.ms, 1));
  const [{ span_s }] = await sql<{ span_s: number }[]>`
    select extract(epoch from max(n.created_at) - min(o.created_at))::float8 as span_s
    from public.outbox o join public.notifications n on n.event_id = o.id
    where o.producer = ${producer}`;
  const [published] = await sql<{ p50: number; p95: number }[]>`
    select percentile_disc(0.5) within group (order by ms) as p50,
      percentile_disc(0.95) within group (order by ms) as p95
    from (select extract(epoch from published_at - created_at)::float8 * 1000 as ms
      from public.outbox where producer = ${producer}) s`;
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor(samples.length * p))];
  const perEvent = (ms: number) => round(ms / people.length, 2);
  return {
    label: options.label,
    count: people.length,
    perSecond: Math.round(people.length / span_s),
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
    max: samples[samples.length - 1],
    samples,
    published: { p50: round(published.p50, 1), p95: round(published.p95, 1) },
    cpu: {
      process: perEvent(after.process - before.process),
      postgres: perEvent(postgresDelta(before.postgres, after.postgres)),
    },
  };
}

/** In-app notifications written for one event or for every event of a producer. */
async function notified(sql: postgres.Sql, of: { id: string } | { producer: string }): Promise<number> {
  const rows = "id" in of
    ? await sql<{ n: number }[]>`
      select count(*)::int as n from public.notifications where event_id = ${of.id}`
    : await sql<{ n: number }[]>`
      select count(*)::int as n from public.outbox o join public.notifications n on n.event_id = o.id
      where o.producer = ${of.producer}`;
  return rows[0].n;
}

async function until(
  probe: () => Promise<number>,
  expected: number,
  options: { timeoutMs: number; everyMs: number },
) {
  const deadline = Date.now() + options.timeoutMs;
  while ((await probe()) < expected) {
    if (Date.now() > deadline) throw new Error("events were not delivered in time");
    await new Promise((r) => setTimeout(r, options.everyMs));
  }
}

/**
 * CPU used so far (ms): this process (every thread), and each of this database's Postgres
 * backends — from /proc, as the stack runs them on this machine.
 */
async function cpuNow(sql: postgres.Sql): Promise<{ process: number; postgres: Map<number, number> }> {
  const { user, system } = cpuUsage();
  const backends = await sql<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database()`;
  const postgres = new Map<number, number>();
  for (const { pid } of backends) postgres.set(pid, ((await processCpuMicros(pid)) ?? 0) / 1000);
  return { process: (user + system) / 1000, postgres };
}

/** Backends started during the phase count whole; one that ended during it is missed (rare: pools). */
function postgresDelta(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, used] of after) ms += used - (before.get(pid) ?? 0);
  return ms;
}

function describePhase(p: Phase): string {
  return `${p.label.padEnd(14)} ${String(p.count).padStart(5)} events → ${String(p.perSecond).padStart(4)} ` +
    `events/s   commit → in-app  p50 ${p.p50} ms  p95 ${p.p95} ms  p99 ${p.p99} ms  max ${p.max} ms`;
}

/** How much of the latency is the relay's (up to QStash accepting the batch) and how much delivery's. */
function describeWait(p: Phase): string {
  return `where it waits, ${p.label}: commit → published (QStash took the relay's batch, row marked) p50 ${p.published.p50} ms ` +
    `p95 ${p.published.p95} ms; the rest (QStash → the notifications function → in-app) is delivery`;
}

/**
 * What one event costs, and the rate that CPU allows here: this process runs its JavaScript on one
 * thread, and it shares the machine's cores with Postgres.
 */
function describeCpu(p: Phase): string {
  const cores = navigator.hardwareConcurrency;
  const thread = Math.round(1000 / p.cpu.process);
  const machine = Math.round((cores * 1000) / (p.cpu.process + p.cpu.postgres));
  return `CPU per event, ${p.label}: this process (writers, relay, stand-ins, functions) ${p.cpu.process} ms, ` +
    `Postgres ${p.cpu.postgres} ms → at most ≈ ${Math.min(thread, machine)} events/s here ` +
    `(one JS thread ${thread}, ${cores} cores ${machine})`;
}

function recordFigures(ctx: BenchContext, phases: Phase[]) {
  const [alone, , sixteen] = phases;
  ctx.figure({
    kind: "latency",
    title: "Events: commit → in-app notification, one at a time, 1 writer and 16 writers",
    unit: "ms",
    series: Object.fromEntries(phases.map((p) => [p.label, p.samples])),
  });
  ctx.figure({
    kind: "curve",
    title: "Events: commit → in-app latency against the rate the writers reach",
    x: { label: "events delivered per second", unit: "events/s" },
    y: { label: "commit → in-app notification", unit: "ms" },
    series: {
      p50: phases.map((p) => [p.perSecond, p.p50]),
      p95: phases.map((p) => [p.perSecond, p.p95]),
      p99: phases.map((p) => [p.perSecond, p.p99]),
    },
  });
  ctx.figure({
    kind: "ratio",
    title: "16 writers: commit → in-app p95 (ms; floor = one at a time)",
    value: sixteen.p95,
    floor: alone.p95,
    goal: GOAL_P95_MS,
    better: "lower",
    unit: "ms",
  });
  ctx.figure({
    kind: "ratio",
    title: "16 writers: events/s commit → in-app",
    value: sixteen.perSecond,
    goal: GOAL_EVENTS_PER_S,
    better: "higher",
    unit: "events/s",
  });
}
