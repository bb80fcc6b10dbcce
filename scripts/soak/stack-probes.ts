import type postgres from "postgres";
import { pidsByCommandLine, type Watched } from "./memory.ts";

// What the soak reads from the stack besides the API: its processes, its events.

/** The processes whose memory the soak follows. */
export function watchedProcesses(
  { stackPid, hostPort, sql, env }: {
    stackPid: number;
    hostPort: string;
    sql: postgres.Sql;
    env: Record<string, string>;
  },
): Watched[] {
  return [
    { name: "functions host (the traffic)", pids: () => pidsByCommandLine(["host-main.ts", hostPort]) },
    { name: "stack: stand-ins (+ its own host)", pids: () => Promise.resolve([stackPid]) },
    {
      name: "postgres backends (private memory)",
      group: true,
      pids: async () =>
        (await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database()`)
          .map((r) => r.pid),
    },
    { name: "redis-server", pids: () => redisPid(env).then((pid) => (pid ? [pid] : [])) },
    { name: "soak driver (this process)", pids: () => Promise.resolve([Deno.pid]) },
  ];
}

/** redis-server's pid, as it reports it (INFO server), through the Upstash REST stand-in. */
async function redisPid(env: Record<string, string>): Promise<number | null> {
  const response = await fetch(env.UPSTASH_REDIS_REST_URL, {
    method: "POST",
    headers: { authorization: `Bearer ${env.UPSTASH_REDIS_REST_TOKEN}` },
    body: JSON.stringify(["INFO", "server"]),
  });
  const { result } = await response.json();
  const pid = /process_id:(\d+)/.exec(String(result))?.[1];
  return pid ? Number(pid) : null;
}

/**
 * The outbox by status, what QStash's dead-letter queue holds now, and what the sweep's redrive did
 * with the dead letters (public.dead_letters: redriven, cleared, kept as malformed/capped/
 * unrecognized) — a dead letter redriven is gone from the DLQ but not from this count. The soak's
 * database and QStash are its own: all of it is the soak's.
 */
export async function eventCounts(sql: postgres.Sql, env: Record<string, string>) {
  const rows = await sql<{ status: string; n: number }[]>`
    select status::text, count(*)::int as n from public.outbox group by status order by status`;
  const handled = await sql<{ outcome: string; n: number }[]>`
    select outcome, count(*)::int as n from public.dead_letters group by outcome order by outcome`;
  return {
    outbox: Object.fromEntries(rows.map((r) => [r.status, r.n])),
    deadLetters: await deadLettersNow(env).catch(() => null),
    redrive: Object.fromEntries(handled.map((r) => [r.outcome, r.n])),
  };
}

/** Every message in QStash's DLQ, a page (`GET /v2/dlq`, cursor) at a time. */
async function deadLettersNow(env: Record<string, string>): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const url = new URL(`${env.QSTASH_URL}/v2/dlq`);
    if (cursor) url.searchParams.set("cursor", cursor);
    const response = await fetch(url, { headers: { authorization: `Bearer ${env.QSTASH_TOKEN}` } });
    if (!response.ok) throw new Error(`GET /v2/dlq answered ${response.status}`);
    const page = await response.json() as { messages: unknown[]; cursor?: string };
    count += page.messages.length;
    cursor = page.cursor || undefined;
  } while (cursor);
  return count;
}
