/**
 * Memory of the stack's processes, from /proc (Linux): resident set (VmRSS) for a process; for a
 * group of processes (Postgres: one backend per connection) the sum of their private memory
 * (RssAnon). Their shared memory — Postgres's shared buffers, which fill as the database grows, up
 * to their fixed size — is left out: counted per backend it would be counted many times over.
 */
export type Watched = {
  name: string;
  /** The pids to measure now (a group's members change: connections come and go). */
  pids(): Promise<number[]>;
  /** Processes sharing memory: their private memory is summed. */
  group?: boolean;
};

export type MemorySample = { name: string; kb: number | null; processes: number };

export async function sampleMemory(watched: Watched[]): Promise<MemorySample[]> {
  return await Promise.all(watched.map(async (w) => {
    const pids = await w.pids().catch(() => []);
    const sizes = await Promise.all(pids.map((pid) => statusKb(pid, w.group ? "RssAnon" : "VmRSS")));
    const known = sizes.filter((kb): kb is number => kb !== null);
    return {
      name: w.name,
      kb: known.length ? known.reduce((a, b) => a + b, 0) : null,
      processes: known.length,
    };
  }));
}

/** A kB field of `pid`'s /proc status (VmRSS, RssAnon…), or null when it is gone. */
export async function statusKb(pid: number, field: "VmRSS" | "RssAnon"): Promise<number | null> {
  const text = await read(`/proc/${pid}/status`);
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1];
  return kb === undefined ? null : Number(kb);
}

/** Processes whose command line contains every one of `parts` (a child started by a helper). */
export async function pidsByCommandLine(parts: string[]): Promise<number[]> {
  const found: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const cmdline = (await read(`/proc/${entry.name}/cmdline`)).split("\0").join(" ");
    if (parts.every((p) => cmdline.includes(p))) found.push(Number(entry.name));
  }
  return found;
}

async function read(path: string): Promise<string> {
  return await Deno.readTextFile(path).catch(() => "");
}
