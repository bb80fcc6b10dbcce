import { freePort } from "../local/ports.ts";
import { FUNCTION_NAMES, type FunctionName } from "../../shared/function-names.ts";

/** A function served alone in its own process, as `deno run -A functions/<fn>/index.ts` does. */
export type FunctionProcess = {
  url: string;
  bootMs: number;
  /** CPU time the process has used so far, all its threads (µs; from Linux's /proc, else NaN). */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
};

export async function startFunctionProcess(
  root: string,
  fn: FunctionName,
  env: Record<string, string>,
): Promise<FunctionProcess> {
  if (!FUNCTION_NAMES.includes(fn)) throw new Error(`unknown function ${fn}`);
  return await startServerProcess(root, `functions/${fn}/index.ts`, env, {
    health: fn === "gateway" ? "/health" : `/${fn}/health`,
    name: fn,
  });
}

/** A server script of this repository in its own process on a free port, once it answers 200 on `health`. */
export async function startServerProcess(
  root: string,
  script: string,
  env: Record<string, string>,
  options: { health: string; name: string },
): Promise<FunctionProcess> {
  const port = freePort();
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}/${script}`],
    cwd: root,
    env: { ...env, PORT: String(port), LOG_LEVEL: "error" },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  const health = `${url}${options.health}`;
  const deadline = Date.now() + 30_000;
  while (true) {
    try {
      const response = await fetch(health);
      await response.body?.cancel();
      if (response.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${options.name} did not answer 200 on ${health} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const bootMs = Math.round(performance.now() - started);
  return {
    url,
    bootMs,
    cpuMicros: () => processCpuMicros(child.pid),
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
    },
  };
}

/** Time on CPU of every thread of `pid` (the first field of each thread's schedstat is ns). */
async function processCpuMicros(pid: number): Promise<number> {
  let nanoseconds = 0;
  try {
    for await (const thread of Deno.readDir(`/proc/${pid}/task`)) {
      const stat = await Deno.readTextFile(`/proc/${pid}/task/${thread.name}/schedstat`).catch(() => "0");
      nanoseconds += Number(stat.split(" ")[0]);
    }
  } catch {
    return NaN;
  }
  return nanoseconds / 1000;
}
