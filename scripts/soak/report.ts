import { percentile, round } from "../bench/measure.ts";
import type { FaultOutcome } from "../../tests/reliability/faults.ts";
import type { Violation } from "../../tests/support/invariants.ts";
import type { RouteSummary } from "./route-stats.ts";
import type { LoadResult } from "./workload.ts";

/** What one soak measured, printed by `deno task soak` and written to docs/reliability.md. */
export type SoakReport = {
  startedAt: Date;
  command: string;
  users: { clients: number; professionals: number };
  concurrency: number;
  signUp: { ms: number; registerMs: number[]; loginMs: number[]; errors: number };
  warmup: LoadResult & { errors: number };
  load: LoadResult & { routes: RouteSummary[]; requests: number; errors: number; expected: number };
  memory: MemoryRow[];
  invariants: { refs: number; violations: Violation[] };
  /**
   * The events the soak caused: the outbox by status, QStash's dead letters now (null: unknown)
   * and what the sweep's redrive did with dead letters (by outcome: redriven, cleared, kept ones).
   */
  events: { outbox: Record<string, number>; deadLetters: number | null; redrive: Record<string, number> };
  faults: FaultRow[] | null;
};
/** kB: at the start, after the warm-up, at the end; `trend`: every 5 s of the load, warm to end. */
export type MemoryRow = {
  name: string;
  start: number | null;
  warm: number | null;
  end: number | null;
  trend: (number | null)[];
  /** Processes measured at the end (Postgres: one backend per open connection). */
  processes: number;
};
export type FaultRow = { name: string; fault: string; outcome: FaultOutcome | null; error?: string };

/** Growth past this, after the warm-up, is flagged (the issue's bound). */
export const MEMORY_GROWTH_LIMIT = 0.2;

/**
 * Every flow completed, no unexpected answer under load (the warm-up's are shown, not judged: a
 * cold chat may answer 503 once and be retried), every invariant holds, each fault's too.
 */
export function passed(r: SoakReport): boolean {
  return r.load.failures.length === 0 && r.warmup.failures.length === 0 && r.load.errors === 0 &&
    r.signUp.errors === 0 && r.invariants.violations.length === 0 &&
    (r.faults ?? []).every((f) => f.outcome?.invariantsHeld === true);
}

/** The soak's figures as plain lines (the terminal, and the code block of the docs page). */
export function reportLines(r: SoakReport): string[] {
  const s = (ms: number) => round(ms / 1000, 1);
  const lines = [
    `load: ${s(r.load.ms)} s after a ${s(r.warmup.ms)} s warm-up; ${r.users.clients} clients and ` +
    `${r.users.professionals} professionals, ${r.concurrency} flows in flight`,
    `sign-up, before the load (scrypt): ${r.signUp.registerMs.length} registrations p50 ` +
    `${p(r.signUp.registerMs, 0.5)} ms, ${r.signUp.loginMs.length} logins p50 ${
      p(r.signUp.loginMs, 0.5)
    } ms ` +
    `(${s(r.signUp.ms)} s with onboarding; ${r.signUp.errors} errors)`,
    `flows: ${r.load.flows} completed, ${r.load.failures.length} failed, ` +
    `${round(r.load.flows / (r.load.ms / 1000), 2)} flows/s (warm-up: ${r.warmup.flows} completed, ` +
    `${r.warmup.failures.length} failed, ${r.warmup.errors} errors)`,
    ...unique(r.warmup.failures.concat(r.load.failures)).slice(0, 10).map((f) => `  failed: ${f}`),
    `requests: ${r.load.requests} (${round(r.load.requests / (r.load.ms / 1000), 1)}/s); ` +
    `unexpected errors: ${r.load.errors}; expected (provoked): ${r.load.expected}`,
    "",
    "step (ms)".padEnd(30) + "p50".padStart(9) + "p95".padStart(9) + "p99".padStart(9),
    ...Object.entries(r.load.steps).map(([step, t]) =>
      step.padEnd(30) + [0.5, 0.95, 0.99].map((q) => String(p(t, q)).padStart(9)).join("")
    ),
    "",
    "route".padEnd(62) + "n".padStart(7) + "p50 ms".padStart(9) + "p95 ms".padStart(9) +
    "p99 ms".padStart(9) +
    "  errors",
    ...r.load.routes.map((route) =>
      route.route.padEnd(62) + String(route.count).padStart(7) + String(route.p50_ms).padStart(9) +
      String(route.p95_ms).padStart(9) + String(route.p99_ms).padStart(9) + `  ${statuses(route)}`
    ),
    "",
    "memory (MB)".padEnd(40) + "start".padStart(9) + "warm".padStart(9) + "end".padStart(9) +
    "max".padStart(9) + "  growth after warm-up",
    ...r.memory.map((m) =>
      `${m.name}${m.processes > 1 ? ` ×${m.processes}` : ""}`.padEnd(40) +
      [m.start, m.warm, m.end, max(m.trend)].map((kb) => mb(kb).padStart(9)).join("") +
      `  ${growthText(m)}${overLimit(m) ? `  (over ${MEMORY_GROWTH_LIMIT * 100} %)` : ""}`
    ),
    "memory during the load (MB, warm → end, evenly spaced samples):",
    ...r.memory.map((m) => `  ${m.name}: ${spread(m.trend, 12).map(mb).join(" → ")}`),
    "",
    `events: outbox ${
      Object.entries(r.events.outbox).map(([status, n]) => `${n} ${status}`).join(", ") || "empty"
    }; ` +
    `QStash dead letters: ${r.events.deadLetters ?? "unknown"} now; redrive: ${
      Object.entries(r.events.redrive).map(([outcome, n]) => `${n} ${outcome}`).join(", ") || "none"
    }`,
    r.invariants.violations.length
      ? `invariants: ${r.invariants.violations.length} violation(s) among the soak's ${r.invariants.refs} ids`
      : `invariants: every invariant holds for the soak's ${r.invariants.refs} ids`,
    ...r.invariants.violations.slice(0, 20).map((v) => `  ${v.invariante}: ${v.problema}: ${v.referencia}`),
  ];
  return lines;
}

/** docs/reliability.md: generated, never edited — the faults table and the soak's figures. */
export function reliabilityPage(r: SoakReport, machine: [string, string][]): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const faults = r.faults ?? [];
  return [
    "<!-- Generated by `deno task soak --write-docs` (scripts/soak.ts). Do not edit: run it again. -->",
    "",
    "# Reliability",
    "",
    `Generated by \`${r.command}\` on ${r.startedAt.toISOString()}. Every figure below comes from that run:`,
    "the faults of tests/reliability/faults.ts injected one by one into a running stack, then a soak — whole",
    "marketplace flows from simulated users through the gateway and the local stand-ins, on loopback only.",
    "",
    "| machine | |",
    "| --- | --- |",
    ...machine.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    "",
    "## Faults",
    "",
    faults.length
      ? "| fault injected | what the user saw | recovery time | invariants |"
      : "No fault scenarios ran.",
    ...(faults.length ? ["| --- | --- | --- | --- |"] : []),
    ...faults.map((f) =>
      f.outcome
        ? `| **${cell(f.name)}**: ${cell(f.fault)} | ${cell(f.outcome.userSaw)}${
          f.outcome.notes ? ` (${cell(f.outcome.notes)})` : ""
        } | ${f.outcome.recoveryMs === null ? "—" : `${round(f.outcome.recoveryMs / 1000, 2)} s`} | ${
          f.outcome.invariantsHeld ? "hold" : "**broken**"
        } |`
        : `| **${cell(f.name)}**: ${cell(f.fault)} | the scenario itself failed: ${
          cell(f.error ?? "")
        } | — | — |`
    ),
    "",
    "## Soak",
    "",
    `${
      passed(r) ? "Passed" : "**Failed**"
    }: ${r.load.flows} whole flows, ${r.load.failures.length} failed, ` +
    `${r.load.errors} unexpected answers, invariants ${
      r.invariants.violations.length ? "**broken**" : "hold"
    }. ` +
    `Memory growth after the warm-up (limit ${
      MEMORY_GROWTH_LIMIT * 100
    } %, shown, not judged: the stand-ins ` +
    `keep every payment, document and e-mail in memory by design): ${
      r.memory.map((m) => `${m.name} ${overLimit(m) ? `**${growthText(m)}**` : growthText(m)}`).join("; ")
    }.`,
    "",
    "Each flow: browse (trades, search, a public profile and its reviews) → search → chat → offer → accept →",
    "pay on the MercadoPago stand-in's checkout page (its signed webhook marks the job paid) → work →",
    "approve (escrow released) → review → a message in the chat → a second review, refused on purpose",
    "(400, counted as expected) → both read their notifications → the professional withdraws the balance",
    "→ an admin approves and pays it. Accounts are registered once before the load (password hashing",
    "reported apart); each flow has a client and a professional to itself while it runs.",
    "",
    "```",
    ...reportLines(r),
    "```",
    "",
  ].join("\n");
}

export function growth(m: MemoryRow): number | null {
  return m.warm && m.end !== null ? (m.end - m.warm) / m.warm : null;
}

function overLimit(m: MemoryRow): boolean {
  return (growth(m) ?? 0) > MEMORY_GROWTH_LIMIT;
}

function growthText(m: MemoryRow): string {
  const g = growth(m);
  if (g === null) return "—";
  return `${g >= 0 ? "+" : ""}${round(g * 100, 1)} %`;
}

function max(kbs: (number | null)[]): number | null {
  const known = kbs.filter((kb): kb is number => kb !== null);
  return known.length ? Math.max(...known) : null;
}

/** At most `n` of `items`, evenly spaced, the first and the last kept. */
function spread<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]);
}

function mb(kb: number | null): string {
  return kb === null ? "—" : String(round(kb / 1024, 1));
}

function p(samples: number[], q: number): number {
  return round(percentile([...samples].sort((a, b) => a - b), q), 1);
}

function statuses(route: RouteSummary): string {
  const list = (counts: Record<string, number>, label = "") =>
    Object.entries(counts).map(([status, n]) => `${n}×${status === "0" ? "no answer" : status}${label}`);
  return [...list(route.errors), ...list(route.expected, " (expected)")].join(", ") || "0";
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
