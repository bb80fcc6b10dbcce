/**
 * What each library of the dependency floor (boot-dependency-floor.ts) costs to load, in the
 * order a function loads them, then the first query and the first Redis PING: printed as one
 * JSON line of `[step, ms]`. The time is the main thread's CPU time (Linux `schedstat`), which
 * other processes on a busy machine do not inflate as they do wall time; elsewhere, wall time.
 */
const schedstat = "/proc/thread-self/schedstat";
const onCpu = (): number => {
  try {
    return Number(Deno.readTextFileSync(schedstat).split(" ")[0]) / 1e6;
  } catch {
    return performance.now();
  }
};

const steps: [string, number][] = [];
let last = onCpu();
steps.push(["Deno's start and module graph loading, until the entry module runs", last]);
const step = (name: string) => {
  const now = onCpu();
  steps.push([name, now - last]);
  last = now;
};

await import("zod");
step("zod (its index loads its ~60 locales too)");
await import("hono");
step("hono");
await import("@hono/zod-openapi");
// zod-to-openapi's package names its CommonJS build as `main`, which Deno follows: its Node
// compatibility layer starts here (else postgres.js's line pays it).
step("@hono/zod-openapi (and @asteasolutions/zod-to-openapi, as CommonJS)");
const { default: postgres } = await import("postgres");
step("postgres.js (node:net, node:tls, node:crypto, node:stream… of Deno's Node layer)");
const sql = postgres(Deno.env.get("DATABASE_URL")!, { prepare: false, max: 1, onnotice: () => {} });
await sql`select 1`;
step("first query (connect, SCRAM, postgres.js's type query)");
const { Redis } = await import("@upstash/redis");
const redis = new Redis({
  url: Deno.env.get("UPSTASH_REDIS_REST_URL")!,
  token: Deno.env.get("UPSTASH_REDIS_REST_TOKEN")!,
});
await redis.ping();
step("@upstash/redis and its first PING (fetch's first use)");
await sql.end();
console.log(JSON.stringify(steps.map(([name, ms]) => [name, Math.round(ms * 10) / 10])));
