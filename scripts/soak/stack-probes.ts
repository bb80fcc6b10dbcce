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

/** The outbox by status and QStash's dead letters (the soak's database is its own: all of it is the soak's). */
export async function eventCounts(sql: postgres.Sql, env: Record<string, string>) {
  const rows = await sql<{ status: string; n: number }[]>`
    select status::text, count(*)::int as n from public.outbox group by status order by status`;
  const dlq = await fetch(`${env.QSTASH_URL}/v2/dlq`, {
    headers: { authorization: `Bearer ${env.QSTASH_TOKEN}` },
  })
    .then((r) => r.json()).then((body) => (body.messages as unknown[]).length, () => null);
  return { outbox: Object.fromEntries(rows.map((r) => [r.status, r.n])), deadLetters: dlq };
}
