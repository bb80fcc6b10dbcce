/**
 * `deno task bench [name…] [--quick]` — starts the same stack as the tests (fresh database), runs
 * the benchmarks, and prints their figures. Ratios are measured within one run on this machine;
 * absolute numbers vary between machines, ratios much less.
 */
import { startStack } from "./local/stack.ts";
import type { Benchmark } from "./bench/types.ts";
import { gatewayBenchmark } from "./bench/gateway.ts";
import { bootBenchmark } from "./bench/boot.ts";
import { authBenchmark } from "./bench/auth.ts";
import { searchBenchmark } from "./bench/search.ts";
import { eventsBenchmark } from "./bench/events.ts";
import { paymentsBenchmark } from "./bench/payments.ts";

const BENCHMARKS: Benchmark[] = [
  gatewayBenchmark,
  bootBenchmark,
  authBenchmark,
  searchBenchmark,
  eventsBenchmark,
  paymentsBenchmark,
];

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const quick = Deno.args.includes("--quick");
const names = Deno.args.filter((a) => !a.startsWith("-"));
const selected = names.length ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;

const stack = await startStack({
  root,
  database: `conectar_bench_${Date.now()}`,
  reset: true,
  databaseUrl: Deno.env.get("BENCH_DATABASE_URL"),
  fixedPorts: false,
  redisDb: 2,
  log: () => {},
});
for (const [k, v] of Object.entries({ ...stack.env, LOG_LEVEL: "error" })) Deno.env.set(k, v);

try {
  console.log(`ConectarProfesionales benchmarks — ${new Date().toISOString()}${quick ? " (quick)" : ""}`);
  console.log(`deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores\n`);
  for (const bench of selected) {
    console.log(`## ${bench.name}`);
    const lines = await bench.run({
      root,
      env: stack.env,
      quick,
      args: Deno.args,
      log: (m) => console.log(`  … ${m}`),
    });
    for (const line of lines) console.log(`  ${line}`);
    console.log("");
  }
} finally {
  await stack.stop({ dropDatabase: true });
}
Deno.exit(0);
