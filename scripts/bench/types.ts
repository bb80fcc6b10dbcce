/** One benchmark: brings up what it needs on the running stack and reports lines of figures. */
export type BenchContext = {
  root: string;
  /** Variables of the stack started for this run (database, Redis, keys, stand-ins). */
  env: Record<string, string>;
  /** `--quick`: smaller sizes, for a smoke run. */
  quick: boolean;
  args: string[];
  log: (msg: string) => void;
};
export type Benchmark = { name: string; run(ctx: BenchContext): Promise<string[]> };
