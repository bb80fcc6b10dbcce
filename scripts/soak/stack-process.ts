/** The local stack in its own process (./stack-main.ts), as the soak runs it. */
export type StackProcess = {
  /** What startStack exported: the variables that point everything at this stack. */
  env: Record<string, string>;
  pid: number;
  /** Stops the stack, drops its database, and waits for the process to end. */
  stop(): Promise<void>;
};

export async function startStackProcess(root: string, database: string): Promise<StackProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}/scripts/soak/stack-main.ts`, database],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stdin = child.stdin.getWriter();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let env: Record<string, string> | null = null;
  while (!env) {
    const { value, done } = await lines.read();
    if (done) {
      await child.status;
      throw new Error("the stack process ended before it was ready (see its log above)");
    }
    buffered += value;
    const ready = /^ready (.*)$/m.exec(buffered);
    if (ready) env = JSON.parse(ready[1]);
  }
  // Anything else it prints goes on to our stderr (an unread pipe would fill and block it).
  (async () => {
    for (let r = await lines.read(); !r.done; r = await lines.read()) console.error(r.value.trimEnd());
  })().catch(() => {});
  return {
    env,
    pid: child.pid,
    async stop() {
      await stdin.close().catch(() => {});
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await child.status;
      clearTimeout(timer);
    },
  };
}
