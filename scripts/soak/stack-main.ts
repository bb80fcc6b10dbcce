/**
 * The local stack — a fresh database on the project's PostgreSQL + PostGIS cluster, Redis behind
 * its Upstash REST stand-in, every SaaS stand-in — in a process of its own (`deno run -A
 * scripts/soak/stack-main.ts <database>`), so the soak measures the stand-ins apart from the
 * functions and from its own driver. Prints `ready <env as JSON>` on stdout once up; stops
 * everything it started and drops the database when its stdin closes (the soak ended, or died).
 */
import { startStack } from "../local/stack.ts";

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const stack = await startStack({
  root,
  database: Deno.args[0],
  reset: true,
  databaseUrl: Deno.env.get("SOAK_DATABASE_URL"),
  fixedPorts: false,
  redisDb: 1,
  log: (msg) => console.error(`[stack] ${msg}`),
});
console.log(`ready ${JSON.stringify(stack.env)}`);

let stopping: Promise<void> | null = null;
const stop = () => stopping ??= stack.stop({ dropDatabase: true }).finally(() => Deno.exit(0));
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
for await (const _ of Deno.stdin.readable) { /* the soak holds stdin open while it runs */ }
await stop();
