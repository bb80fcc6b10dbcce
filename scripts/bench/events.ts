import postgres from "postgres";
import { loadConfig } from "../../shared/config.ts";
import { emitEvent } from "../../shared/events.ts";
import { createPlatform } from "../../shared/platform.ts";
import { round } from "./measure.ts";
import type { Benchmark } from "./types.ts";

/**
 * Events end to end on the local stack: a transaction writes `user.registered` → the relay
 * publishes it after commit → the QStash stand-in delivers it, signed, over HTTP → the
 * notifications function (stack's functions host) verifies it, records it in the inbox and writes
 * the in-app notification (then e-mails the welcome through the sink).
 *
 * - throughput: N events emitted by 16 concurrent writers, until every notification exists;
 * - latency: commit → in-app notification, from the database's own clock (outbox.created_at →
 *   notifications.created_at), under that load and one event at a time.
 */
export const eventsBenchmark: Benchmark = {
  name: "events",
  async run(ctx) {
    const count = ctx.quick ? 100 : 1000;
    const single = ctx.quick ? 20 : 100;
    const platform = createPlatform(loadConfig({ ...ctx.env, LOG_LEVEL: "error" }), "auth");
    const sql = postgres(ctx.env.DATABASE_URL, { prepare: false, max: 2, onnotice: () => {} });
    try {
      const users = await sql<{ id: string }[]>`
        select (public.create_usuario('bench-events-' || g || '-' || ${crypto.randomUUID()} || '@example.com',
          'Bench', 'Events', 'CLIENTE')).id
        from generate_series(1, ${count + single}) g`;
      const emit = (userId: string) =>
        platform.db.asService((tx) =>
          emitEvent(tx, {
            type: "user.registered",
            aggregateId: userId,
            producer: "bench",
            payload: { user_id: userId },
          })
        );
      const delivered = async (ids: string[]) => {
        const [{ n }] = await sql<{ n: number }[]>`
          select count(*)::int as n from public.notifications where event_id = any(${ids}::uuid[])`;
        return n;
      };

      ctx.log(`${count} events, 16 writers`);
      const loaded: string[] = [];
      const started = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (next < count) loaded.push(await emit(users[next++].id));
      }));
      const emittedMs = performance.now() - started;
      await until(async () => (await delivered(loaded)) === loaded.length, 120_000);
      const elapsedS = (performance.now() - started) / 1000;

      ctx.log(`${single} events one at a time`);
      const alone: string[] = [];
      for (const user of users.slice(count)) {
        const id = await emit(user.id);
        alone.push(id);
        await until(async () => (await delivered([id])) === 1, 10_000);
      }

      const underLoad = await latencies(sql, loaded);
      const quiet = await latencies(sql, alone);
      return [
        `${count} events committed by 16 writers in ${
          round(emittedMs / 1000, 2)
        } s; all in-app notifications ` +
        `written after ${round(elapsedS, 2)} s → ${Math.round(count / elapsedS)} events/s (commit → in-app)`,
        `commit → in-app notification under that load      p50 ${underLoad.p50} ms  p95 ${underLoad.p95} ms  ` +
        `max ${underLoad.max} ms`,
        `commit → in-app notification, one event at a time  p50 ${quiet.p50} ms  p95 ${quiet.p95} ms  ` +
        `max ${quiet.max} ms`,
      ];
    } finally {
      await platform.close();
      await sql.end();
    }
  },
};

async function until(probe: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error("events were not delivered in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function latencies(sql: postgres.Sql, ids: string[]) {
  const [row] = await sql<{ p50: number; p95: number; max: number }[]>`
    with l as (
      select extract(epoch from n.created_at - o.created_at) * 1000 as ms
      from public.outbox o join public.notifications n on n.event_id = o.id
      where o.id = any(${ids}::uuid[]))
    select round(percentile_cont(0.5) within group (order by ms)::numeric, 1)::float8 as p50,
           round(percentile_cont(0.95) within group (order by ms)::numeric, 1)::float8 as p95,
           round(max(ms)::numeric, 1)::float8 as max
    from l`;
  return row;
}
