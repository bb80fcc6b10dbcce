/**
 * `deno task bench [name…] [--quick] [--report]` — starts the same stack as the tests (fresh
 * database), runs the benchmarks, and prints their figures. Ratios are measured within one run on
 * this machine; absolute numbers vary between machines, ratios much less. `--report` also writes
 * docs/benchmarks.md and its SVG charts (docs/benchmarks/) from this run's figures.
 */
import { startStack } from "./local/stack.ts";
import type { Benchmark, Figure } from "./bench/types.ts";
import { type BenchResult, writeReport } from "./bench/report.ts";
import { gatewayBenchmark } from "./bench/gateway.ts";
import { bootBenchmark } from "./bench/boot.ts";
import { authBenchmark } from "./bench/auth.ts";
import { searchBenchmark } from "./bench/search.ts";
import { eventsBenchmark } from "./bench/events.ts";
import { paymentsBenchmark } from "./bench/payments.ts";
import { flowsBenchmark } from "./bench/flows.ts";

const BENCHMARKS: Benchmark[] = [
  gatewayBenchmark,
  bootBenchmark,
  authBenchmark,
  searchBenchmark,
  eventsBenchmark,
  paymentsBenchmark,
  flowsBenchmark,
];

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const quick = Deno.args.includes("--quick");
const report = Deno.args.includes("--report");
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

const startedAt = new Date();
const results: BenchResult[] = [];
try {
  console.log(`ConectarProfesionales benchmarks — ${startedAt.toISOString()}${quick ? " (quick)" : ""}`);
  console.log(`deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores\n`);
  for (const bench of selected) {
    console.log(`## ${bench.name}`);
    const figures: Figure[] = [];
    const lines = await bench.run({
      root,
      env: stack.env,
      quick,
      args: Deno.args,
      log: (m) => console.log(`  … ${m}`),
      figure: (f) => figures.push(f),
    });
    for (const line of lines) console.log(`  ${line}`);
    console.log("");
    results.push({ name: bench.name, lines, figures });
  }
  if (report) {
    const written = await writeReport({ root, startedAt, quick, args: Deno.args, results });
    console.log(`report: ${written.markdown} (${written.charts.length} charts in ${written.chartDir})`);
  }
} finally {
  await stack.stop({ dropDatabase: true });
}
Deno.exit(0);
