import type postgres from "postgres";
import { generateProfessionals, type GenerateTimings, progressLine } from "../professionals/generate.ts";
import { round } from "./measure.ts";
import type { Sample } from "./search-sql.ts";
import type { BenchContext } from "./types.ts";

/**
 * The search benchmark's data: the sizes it runs at, professionals generated up to each (set-based,
 * indexes after the load: ../professionals/generate.ts; reused when an earlier run left them) with
 * the generation goal, and the points people search from.
 */
const TAG = "bench";
/** Benchmark data: this many professionals generated in at most this long (the sizes' steps added up). */
const GOAL_GENERATED = 1_000_000;
const GOAL_GENERATION_MS = 120_000;

export function searchSizes(args: string[], quick: boolean): number[] {
  const flag = args.find((a) => a.startsWith("--search-sizes="));
  if (flag) return flag.split("=")[1].split(",").map(Number).filter((n) => n > 0).sort((a, b) => a - b);
  return quick ? [20_000] : [100_000, 1_000_000];
}

const seconds = (ms: number) => `${round(ms / 1000, 1)} s`;

/** Adds benchmark professionals until there are `size`; one line: how long and where the time went. */
export async function generateUpTo(
  ctx: BenchContext,
  sql: postgres.Sql,
  size: number,
): Promise<{ line: string; added: number; ms: number }> {
  const [{ present }] = await sql<{ present: number }[]>`
    select count(*)::int as present from public.usuarios where email like ${`bench-${TAG}-%`}`;
  if (present >= size) {
    return {
      line: `generation: ${present.toLocaleString("en")} already in the database, reused`,
      added: 0,
      ms: 0,
    };
  }
  const started = performance.now();
  const timings = await generateProfessionals(sql, {
    from: present + 1,
    to: size,
    tag: TAG,
    onProgress: (done, _total, ms) => ctx.log(`generating ${progressLine(present + done, size, ms)}`),
  });
  const parts = (Object.keys(timings) as (keyof GenerateTimings)[]).map((k) => `${k} ${seconds(timings[k])}`);
  const ms = performance.now() - started;
  return {
    line: `generation: ${(size - present).toLocaleString("en")} professionals in ${seconds(ms)} (${
      parts.join(", ")
    })`,
    added: size - present,
    ms,
  };
}

/** The goal's line once the run has generated all of GOAL_GENERATED itself (null otherwise). */
export function generationGoalLine(size: number, generated: { count: number; ms: number }): string | null {
  if (size !== GOAL_GENERATED || generated.count !== size) return null;
  const met = generated.ms <= GOAL_GENERATION_MS ? "met" : "NOT met";
  const total = `${size.toLocaleString("en")} in all generated in ${seconds(generated.ms)} this run`;
  return `  ${total} (goal ≤ ${seconds(GOAL_GENERATION_MS)}: ${met})`;
}

/** Points where people search: near visible professionals (±3 km), a few in empty places. */
export async function sampleQueries(sql: postgres.Sql, n: number): Promise<Sample[]> {
  const rows = await sql<Sample[]>`
    select oficio_id,
      extensions.st_y(ubicacion::extensions.geometry) + (random() - 0.5) * 0.05 as lat,
      extensions.st_x(ubicacion::extensions.geometry) + (random() - 0.5) * 0.05 as lng
    from public.busqueda_oficios tablesample system (5)
    where visible and ubicacion is not null
    limit ${n}`;
  const empty = rows.slice(0, Math.ceil(n / 10)).map((r) => ({
    ...r,
    lat: -45 - Math.random() * 5,
    lng: -30,
  }));
  return [...rows, ...empty].sort(() => Math.random() - 0.5);
}
