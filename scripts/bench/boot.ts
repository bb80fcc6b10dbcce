import { FUNCTION_NAMES, type FunctionName } from "../../shared/function-names.ts";
import { freePort } from "../local/ports.ts";
import { median, round } from "./measure.ts";
import type { Benchmark } from "./types.ts";

/**
 * Each function's boot time: process start → first 200 from its health route, beside the floor
 * measured in the same run (a hello-world `Deno.serve` started the same way, polled the same way),
 * and the module graph the function has loaded by then.
 *
 * Each function boots twice: from source (`deno run functions/<fn>/index.ts`: Deno resolves,
 * reads and compiles every module) and bundled (`deno bundle`, one file — how Supabase deploys a
 * function: the CLI bundles its module graph into one eszip, so the edge runtime never resolves
 * modules one by one). Floor and function runs alternate, so a busy machine slows all alike; the
 * ratio is median(function) / median(floor). The graph is read from V8 coverage of a separate run (every
 * script the process evaluated until it answered, npm files included — exactly what it loaded, not
 * what `deno info` could reach), so coverage's overhead never enters the timings.
 */
export const bootBenchmark: Benchmark = {
  name: "boot",
  async run(ctx) {
    const runs = ctx.quick ? 3 : 7;
    const hello = await Deno.makeTempFile({ prefix: "boot-floor-", suffix: ".ts" });
    await Deno.writeTextFile(
      hello,
      `Deno.serve({ port: Number(Deno.env.get("PORT")), onListen: () => {} }, () => new Response("ok"));\n`,
    );
    const floor: number[] = [];
    const times = new Map<FunctionName, number[]>(FUNCTION_NAMES.map((fn) => [fn, []]));
    const bundledTimes = new Map<FunctionName, number[]>(FUNCTION_NAMES.map((fn) => [fn, []]));
    const bundles = await Deno.makeTempDir({ prefix: "boot-bundles-" });
    try {
      for (const fn of FUNCTION_NAMES) await bundle(ctx.root, fn, `${bundles}/${fn}.js`);
      for (let i = 0; i < runs; i++) {
        for (const fn of FUNCTION_NAMES) {
          floor.push((await boot(ctx.root, hello, "/", ctx.env)).ms);
          times.get(fn)!.push((await boot(ctx.root, entry(ctx.root, fn), healthPath(fn), ctx.env)).ms);
          bundledTimes.get(fn)!.push(
            (await boot(ctx.root, `${bundles}/${fn}.js`, healthPath(fn), ctx.env)).ms,
          );
        }
      }
      const floorMs = median(floor);
      // Best of runs too: on a shared machine the fastest run is the one least slowed by others.
      const floorBest = Math.min(...floor);
      const lines = [
        `${
          "floor".padEnd(14)
        } hello-world Deno.serve to first 200: median ${floorMs} ms  (n=${floor.length}, ${
          Math.min(...floor)
        }–${Math.max(...floor)} ms)`,
      ];
      ctx.figure({
        kind: "latency",
        title: "Boot: process start to first 200 (hello-world Deno.serve = the floor)",
        unit: "ms",
        series: { "hello-world floor": floor, ...Object.fromEntries(times) },
      });
      for (const fn of FUNCTION_NAMES) {
        const samples = times.get(fn)!.sort((a, b) => a - b);
        const ms = median(samples);
        ctx.figure({
          kind: "ratio",
          title: `${fn}: boot median ÷ floor median`,
          value: round(ms / floorMs, 2),
          floor: 1,
          better: "lower",
        });
        const bundled = bundledTimes.get(fn)!.sort((a, b) => a - b);
        const bundledMs = median(bundled);
        ctx.figure({
          kind: "ratio",
          title: `${fn}, bundled as deployed: boot median ÷ floor median`,
          value: round(bundledMs / floorMs, 2),
          floor: 1,
          goal: 2,
          better: "lower",
        });
        const graph = await moduleGraph(ctx.root, fn, ctx.env);
        lines.push(
          `${fn.padEnd(14)} boot to first 200: median ${ms} ms = ${(ms / floorMs).toFixed(2)}x floor, best ${
            (samples[0] / floorBest).toFixed(2)
          }x  (runs: ${samples.join(", ")})  graph: ${graph}`,
          `${"".padEnd(14)} bundled (as deployed): median ${bundledMs} ms = ${
            (bundledMs / floorMs).toFixed(2)
          }x floor (goal ≤ 2x: ${bundledMs / floorMs <= 2 ? "met" : "not met"}), best ${
            (bundled[0] / floorBest).toFixed(2)
          }x  (runs: ${bundled.join(", ")})`,
        );
      }
      return lines;
    } finally {
      await Deno.remove(hello);
      await Deno.remove(bundles, { recursive: true });
    }
  },
};

/** `deno bundle` of the function's entry into one file, npm packages included. */
async function bundle(root: string, fn: FunctionName, out: string): Promise<void> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform=deno", "-o", out, entry(root, fn)],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    throw new Error(`deno bundle ${fn} failed:\n${new TextDecoder().decode(result.stderr)}`);
  }
}

function entry(root: string, fn: FunctionName): string {
  return `${root}/functions/${fn}/index.ts`;
}

function healthPath(fn: FunctionName): string {
  return fn === "gateway" ? "/health" : `/${fn}/health`;
}

/** Starts `deno run -A <script>` and polls `path` every 2 ms until it answers 200. */
async function boot(
  root: string,
  script: string,
  path: string,
  env: Record<string, string>,
  extraArgs: string[] = [],
): Promise<{ ms: number; stop(): Promise<void> }> {
  const port = freePort();
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...extraArgs, script],
    cwd: root,
    env: { ...env, PORT: String(port), LOG_LEVEL: "error" },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}${path}`;
  const deadline = Date.now() + 30_000;
  while (true) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await child.status;
      throw new Error(`${script} did not answer 200 on ${url} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const ms = Math.round(performance.now() - started);
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
  };
  if (extraArgs.length === 0) await stop();
  return { ms, stop };
}

/** Modules (local / npm) and their source bytes the function evaluated up to its first 200. */
async function moduleGraph(root: string, fn: FunctionName, env: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: `boot-graph-${fn}-` });
  try {
    const process = await boot(root, entry(root, fn), healthPath(fn), env, [`--coverage=${dir}`]);
    await process.stop(); // coverage is written as the process exits
    const count = { local: 0, npm: 0 };
    const bytes = { local: 0, npm: 0 };
    for await (const file of Deno.readDir(dir)) {
      const { url } = JSON.parse(await Deno.readTextFile(`${dir}/${file.name}`)) as { url: string };
      if (!url.startsWith("file://") || url.includes("/boot-graph-")) continue;
      const kind = url.includes("/node_modules/") || url.includes("/npm/") ? "npm" : "local";
      count[kind]++;
      bytes[kind] += (await Deno.stat(new URL(url))).size;
    }
    const kb = (n: number) => `${Math.round(n / 1024)} KB`;
    return `${count.local + count.npm} modules, ${kb(bytes.local + bytes.npm)} (local ${count.local} / ${
      kb(bytes.local)
    }, npm ${count.npm} / ${kb(bytes.npm)})`;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
