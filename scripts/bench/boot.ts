import { FUNCTION_NAMES } from "../../shared/function-names.ts";
import { startFunctionProcess } from "./processes.ts";
import type { Benchmark } from "./types.ts";

/** Each function's boot time: process start → first 200 from its health route (median of runs). */
export const bootBenchmark: Benchmark = {
  name: "boot",
  async run(ctx) {
    const runs = ctx.quick ? 1 : 3;
    const lines: string[] = [];
    for (const fn of FUNCTION_NAMES) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const process = await startFunctionProcess(ctx.root, fn, ctx.env);
        times.push(process.bootMs);
        await process.stop();
      }
      times.sort((a, b) => a - b);
      lines.push(
        `${fn.padEnd(14)} boot to first 200: median ${times[Math.floor(times.length / 2)]} ms  (runs: ${
          times.join(", ")
        })`,
      );
    }
    return lines;
  },
};
