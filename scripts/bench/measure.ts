/**
 * Latency and throughput of an async operation, measured in this process: a warm-up, then
 * `iterations` calls spread over `concurrency` workers.
 */
export type Measurement = {
  count: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  per_second: number;
  /** Every timed call (ms), ascending: what a latency chart draws. */
  samples: number[];
};

export async function measure(
  fn: (i: number) => Promise<unknown>,
  options: { iterations: number; concurrency?: number; warmup?: number },
): Promise<Measurement> {
  const concurrency = options.concurrency ?? 1;
  for (let i = 0; i < (options.warmup ?? Math.min(50, options.iterations)); i++) await fn(i);
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < options.iterations) {
      const i = next++;
      const t = performance.now();
      await fn(i);
      samples.push(performance.now() - t);
    }
  }));
  const elapsed = performance.now() - started;
  samples.sort((a, b) => a - b);
  const pct = (p: number) => round(percentile(samples, p));
  return {
    count: samples.length,
    p50_ms: pct(0.5),
    p95_ms: pct(0.95),
    p99_ms: pct(0.99),
    per_second: Math.round(samples.length / (elapsed / 1000)),
    samples,
  };
}

/**
 * One measurement of several rounds of the same operation: their samples together, and their
 * throughput over the rounds' own durations (count ÷ rate), not the wall time between them.
 */
export function combine(parts: Measurement[]): Measurement {
  const samples = parts.flatMap((p) => p.samples).sort((a, b) => a - b);
  const pct = (p: number) => round(percentile(samples, p));
  const seconds = parts.reduce((s, p) => s + p.count / p.per_second, 0);
  return {
    count: samples.length,
    p50_ms: pct(0.5),
    p95_ms: pct(0.95),
    p99_ms: pct(0.99),
    per_second: Math.round(samples.length / seconds),
    samples,
  };
}

/**
 * Each operation measured once per round, in turn, so a burst of noise on a shared machine lands
 * on all of them: every round's measurements, and each operation's rounds together.
 */
export async function alternate(
  operations: ((i: number) => Promise<unknown>)[],
  options: {
    rounds: number;
    perRound: number;
    concurrency: number;
    warmup: number;
    /** Runs around each operation's turn in a round, e.g. to read what a server spent on it. */
    turn?: (operation: number, run: () => Promise<Measurement>) => Promise<Measurement>;
  },
): Promise<{ rounds: Measurement[][]; total: Measurement[] }> {
  for (const op of operations) for (let i = 0; i < options.warmup; i++) await op(i);
  const turn = options.turn ?? ((_, run) => run());
  const rounds: Measurement[][] = [];
  for (let r = 0; r < options.rounds; r++) {
    const round: Measurement[] = [];
    for (const [k, op] of operations.entries()) {
      const offset = r * options.perRound;
      round.push(
        await turn(k, () =>
          measure((i) => op(offset + i), {
            iterations: options.perRound,
            concurrency: options.concurrency,
            warmup: 0,
          })),
      );
    }
    rounds.push(round);
  }
  return { rounds, total: operations.map((_, k) => combine(rounds.map((round) => round[k]))) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The `p` (0…1) percentile of ascending `sorted` samples (nearest rank; NaN when there are none). */
export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function formatMeasurement(label: string, m: Measurement): string {
  return `${label.padEnd(48)} p50 ${m.p50_ms} ms  p95 ${m.p95_ms} ms  ${m.per_second}/s  (n=${m.count})`;
}
