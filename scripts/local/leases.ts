/**
 * Who uses a local server that one run started: `deno task test` twice at once in one checkout,
 * or tests beside `deno task dev`, share the project's Postgres cluster and Redis server. The run
 * that started a server stops it when it ends only if no other live process still holds a lease
 * on it; otherwise it leaves the server running (the next run reuses it).
 *
 * A lease is a file named after the holder's pid in `dir`; a file whose process is gone
 * (a run killed with SIGKILL) no longer counts.
 */
export type Lease = {
  /** Gives the lease up; true when no other live process holds one (the server may be stopped). */
  release(): Promise<boolean>;
};

export async function takeLease(dir: string): Promise<Lease> {
  await Deno.mkdir(dir, { recursive: true });
  const mine = `${dir}/${Deno.pid}`;
  await Deno.writeTextFile(mine, `${new Date().toISOString()}\n`);
  let released = false;
  return {
    async release() {
      if (!released) {
        released = true;
        await Deno.remove(mine).catch(() => {});
      }
      for await (const entry of Deno.readDir(dir)) {
        const pid = Number(entry.name);
        if (Number.isInteger(pid) && pid !== Deno.pid && isAlive(pid)) return false;
      }
      return true;
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}
