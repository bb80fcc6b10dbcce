/**
 * A latency distribution: every raw sample (ms) per series, e.g. one series per route or per step.
 * The report draws each series' percentiles (p50, p90, p95, p99, max) side by side.
 */
export type LatencyFigure = {
  kind: "latency";
  title: string;
  unit: "ms";
  series: Record<string, number[]>;
};

/**
 * One measured ratio beside its floor — the best it can be, e.g. 1 for "× the hello-world boot" or
 * "gateway / function called directly" — and, when one is set, the goal it aims at. `better` says
 * which way is good: "lower" for a cost against a floor, "higher" for a speed-up.
 */
export type RatioFigure = {
  kind: "ratio";
  title: string;
  value: number;
  floor?: number;
  goal?: number;
  better: "higher" | "lower";
  unit?: string;
};

/**
 * A y-against-x curve, e.g. events latency (y, ms) under increasing load (x, events/s):
 * one list of [x, y] points per series.
 */
export type CurveFigure = {
  kind: "curve";
  title: string;
  x: { label: string; unit: string };
  y: { label: string; unit: string };
  series: Record<string, [number, number][]>;
};

export type Figure = LatencyFigure | RatioFigure | CurveFigure;

/** One benchmark: brings up what it needs on the running stack and reports lines of figures. */
export type BenchContext = {
  root: string;
  /** Variables of the stack started for this run (database, Redis, keys, stand-ins). */
  env: Record<string, string>;
  /** `--quick`: smaller sizes, for a smoke run. */
  quick: boolean;
  args: string[];
  log: (msg: string) => void;
  /**
   * Records a structured figure for `--report` (charts in docs/benchmarks.md). The text lines
   * `run()` returns stay the printed result; figures are the same numbers in a form a chart can draw.
   */
  figure: (figure: Figure) => void;
};
export type Benchmark = { name: string; run(ctx: BenchContext): Promise<string[]> };
