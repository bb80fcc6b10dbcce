import { freePort } from "../local/ports.ts";
import { FUNCTION_NAMES, type FunctionName } from "../../shared/function-names.ts";

/** A server in its own process, as `deno run -A functions/<fn>/index.ts` serves a function alone. */
export type FunctionProcess = {
  url: string;
  /** Process start → the first 200 on its health path. */
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
  return await startServerProcess(root, `${root}/functions/${fn}/index.ts`, env, {
    health: healthPath(fn),
    name: fn,
  });
}

/** Where a function served alone answers its health check (the gateway is served bare). */
export function healthPath(fn: FunctionName): string {
  return fn === "gateway" ? "/health" : `/${fn}/health`;
}

/**
 * `deno run -A [denoArgs] <script>` on a free port, once it answers 200 on `health` (polled every
 * `pollMs`, 10 by default; any other answer, or none, is polled on).
 */
export async function startServerProcess(
  root: string,
  script: string,
  env: Record<string, string>,
  options: {
    health: string;
    name: string;
    headers?: Record<string, string>;
    denoArgs?: string[];
    pollMs?: number;
  },
): Promise<FunctionProcess> {
  const port = freePort();
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...options.denoArgs ?? [], script],
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
      const response = await fetch(health, { headers: options.headers });
      await response.body?.cancel();
      if (response.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await child.status;
      throw new Error(`${options.name} did not answer 200 on ${health} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 10));
  }
  const bootMs = Math.round(performance.now() - started);
  return {
    url,
    bootMs,
    cpuMicros: async () => (await processCpuMicros(child.pid)) ?? NaN,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
    },
  };
}

/** Time on CPU of every thread of `pid` (µs; each thread's schedstat starts with ns), or null once it is gone. */
export async function processCpuMicros(pid: number): Promise<number | null> {
  let nanoseconds = 0;
  try {
    for await (const thread of Deno.readDir(`/proc/${pid}/task`)) {
      const stat = await Deno.readTextFile(`/proc/${pid}/task/${thread.name}/schedstat`).catch(() => "0");
      nanoseconds += Number(stat.split(" ")[0]);
    }
  } catch {
    return null;
  }
  return nanoseconds / 1000;
}
