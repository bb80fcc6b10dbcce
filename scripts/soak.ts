/**
 * `deno task soak [--minutes N | --seconds N] [--users N] [--concurrency N] [--warmup-seconds N]
 * [--faults] [--write-docs]` — whole marketplace flows from simulated users (scripts/soak/workload.ts)
 * against a stack of its own, on loopback only: the stack and its stand-ins in one process, the
 * functions in another (what serves the traffic), this one driving. Reports flows/s, p50/p95/p99
 * per route, every unexpected answer, each process's memory (start, after the warm-up, end) and
 * the invariants for the soak's own rows. Default 5 minutes, 32 users, 12 flows in flight, and a
 * warm-up of a fifth of the load (10–60 s) before the memory baseline.
 *
 * `--faults` then runs each fault scenario of tests/reliability/faults.ts; `--write-docs` (which
 * implies `--faults`) writes docs/reliability.md from this run. Exits 1 when a flow failed, an
 * answer was unexpected, an invariant is broken or a fault scenario broke one.
 */
import postgres from "postgres";
import { FAULT_SCENARIOS } from "../tests/reliability/faults.ts";
import { startHostProcess } from "../tests/reliability/host-process.ts";
import { settledViolations } from "../tests/support/invariants.ts";
import { describeMachine } from "./bench/report.ts";
import { sampleMemory } from "./soak/memory.ts";
import { parseOptions } from "./soak/options.ts";
import { type FaultRow, type MemoryRow, passed, reliabilityPage, reportLines } from "./soak/report.ts";
import { RouteStats } from "./soak/route-stats.ts";
import { eventCounts, watchedProcesses } from "./soak/stack-probes.ts";
import { startStackProcess } from "./soak/stack-process.ts";
import { prepareSoak } from "./soak/workload.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const options = parseOptions(Deno.args);
const log = (msg: string) => console.log(`… ${msg}`);
const startedAt = new Date();

const stack = await startStackProcess(root, `conectar_soak_${Date.now()}`);
let code = 1;
try {
  // This process acts as a test process does: helpers read the stack from the environment.
  for (const [k, v] of Object.entries({ ...stack.env, LOG_LEVEL: "error" })) Deno.env.set(k, v);
  const host = await startHostProcess(stack.env);
  const sql = postgres(stack.env.DATABASE_URL, { prepare: false, max: 2, onnotice: () => {} });
  try {
    const watched = watchedProcesses({
      stackPid: stack.pid,
      hostPort: new URL(host.url).port,
      sql,
      env: stack.env,
    });
    const start = await sampleMemory(watched);

    log(`signing up ${options.users} users`);
    const signUpStats = new RouteStats();
    const soak = await prepareSoak(host.gateway, signUpStats, {
      users: options.users,
      concurrency: options.concurrency,
      log,
    });
    log(`warm-up: ${options.warmupSeconds} s of flows`);
    const warmStats = new RouteStats();
    const warmup = await soak.run(options.warmupSeconds * 1000, warmStats);
    const warm = await sampleMemory(watched);

    log(`load: ${options.seconds} s, ${options.concurrency} flows in flight`);
    // Every 5 s: a process that levels off after the warm-up is sized, one that climbs leaks.
    const trend = new Map(warm.map((m) => [m.name, [m.kb]]));
    const sampler = setInterval(async () => {
      for (const m of await sampleMemory(watched)) trend.get(m.name)!.push(m.kb);
    }, 5000);
    const stats = new RouteStats();
    const load = await soak.run(options.seconds * 1000, stats);
    clearInterval(sampler);
    const end = await sampleMemory(watched);

    log("waiting for the events to settle, then checking the invariants");
    const refs = soak.refs();
    const violations = await settledViolations(sql, { refs, timeoutMs: 30_000 });
    const events = await eventCounts(sql, stack.env);
    const faults = options.faults ? await runFaults() : null;

    const memory: MemoryRow[] = start.map((s, i) => ({
      name: s.name,
      start: s.kb,
      warm: warm[i].kb,
      end: end[i].kb,
      trend: [...trend.get(s.name)!, end[i].kb],
      processes: end[i].processes,
    }));
    const report = {
      startedAt,
      command: `deno task soak ${Deno.args.join(" ")}`.trim(),
      users: { clients: soak.clients, professionals: soak.professionals },
      concurrency: options.concurrency,
      signUp: { ...soak.signUp, errors: signUpStats.errors },
      warmup: { ...warmup, errors: warmStats.errors },
      load: {
        ...load,
        routes: stats.summary(),
        requests: stats.requests,
        errors: stats.errors,
        expected: stats.expected,
      },
      memory,
      invariants: { refs: refs.length, violations },
      events,
      faults,
    };
    const machine = await describeMachine();
    console.log(`\nConectarProfesionales soak — ${startedAt.toISOString()}, ${report.command}`);
    console.log(machine.map(([k, v]) => `${k}: ${v}`).join("; ") + "\n");
    for (const line of reportLines(report)) console.log(line);
    for (const f of faults ?? []) {
      console.log(`fault ${f.name}: ${f.outcome ? JSON.stringify(f.outcome) : `failed: ${f.error}`}`);
    }
    if (options.writeDocs) {
      await Deno.mkdir(`${root}/docs`, { recursive: true });
      const page = `${root}/docs/reliability.md`;
      await Deno.writeTextFile(page, reliabilityPage(report, machine));
      // As `deno fmt --check` (CI) wants it: a fresh page never fails the build.
      await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", page], cwd: root }).output();
      console.log("\nwrote docs/reliability.md");
    }
    code = passed(report) ? 0 : 1;
    console.log(code === 0 ? "\nsoak passed" : "\nsoak FAILED");
  } finally {
    await sql.end();
    await host.stop();
  }
} finally {
  await stack.stop();
}
Deno.exit(code);

async function runFaults(): Promise<FaultRow[]> {
  const rows: FaultRow[] = [];
  for (const scenario of FAULT_SCENARIOS) {
    log(`fault: ${scenario.name}`);
    try {
      rows.push({ name: scenario.name, fault: scenario.fault, outcome: await scenario.run() });
    } catch (error) {
      rows.push({ name: scenario.name, fault: scenario.fault, outcome: null, error: String(error) });
    }
  }
  return rows;
}
