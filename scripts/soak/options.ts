/** `deno task soak`'s command line (see scripts/soak.ts); a bad option exits 2 before anything starts. */
export function parseOptions(args: string[]) {
  const number = (flag: string): number | undefined => {
    const at = args.indexOf(flag);
    if (at < 0) return undefined;
    const value = Number(args[at + 1]);
    if (!Number.isFinite(value) || value <= 0) {
      console.error(`${flag} needs a positive number`);
      Deno.exit(2);
    }
    return value;
  };
  const known = [
    "--minutes",
    "--seconds",
    "--users",
    "--concurrency",
    "--warmup-seconds",
    "--faults",
    "--write-docs",
  ];
  const unknown = args.filter((a) => a.startsWith("-") && !known.includes(a));
  if (unknown.length) {
    console.error(`unknown option ${unknown.join(", ")}; options: ${known.join(" ")}`);
    Deno.exit(2);
  }
  const seconds = number("--seconds") ?? (number("--minutes") ?? 5) * 60;
  const users = Math.round(number("--users") ?? 32);
  const concurrency = Math.round(number("--concurrency") ?? Math.min(12, Math.floor(users / 2)));
  if (concurrency > Math.floor(users / 2)) {
    // Each flow in flight has a client and a professional to itself.
    console.error(`${concurrency} flows in flight need --users ${concurrency * 2} at least`);
    Deno.exit(2);
  }
  const writeDocs = args.includes("--write-docs");
  return {
    seconds,
    users,
    concurrency,
    // Long enough for every lazy module, pool, JIT tier and V8 heap size to settle before the memory
    // baseline: 5-minute soaks here grew the functions host's heap for about a minute, then levelled.
    warmupSeconds: number("--warmup-seconds") ?? Math.min(60, Math.max(10, Math.round(seconds / 5))),
    faults: writeDocs || args.includes("--faults"),
    writeDocs,
  };
}
