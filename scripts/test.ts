/**
 * `deno task test [paths…] [-- deno test flags]` — brings up the same stack as `deno task dev`
 * with a fresh database for this run, runs every test file against it, drops the database, and
 * ends with the line CI reads: `N passed, N failed`.
 */
import { createSecretScanner } from "../tests/support/secret-scan.ts";
import { fileRecorder, scannedLogging } from "../tests/support/secret-recorder.ts";
import { StackError, startStack } from "./local/stack.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const quiet = (msg: string) => console.log(`[stack] ${msg}`);
const paths = Deno.args.filter((a) => !a.startsWith("-"));
const flags = Deno.args.filter((a) => a.startsWith("-"));
// Test processes append what the secret scan finds here (tests/support/secret-recorder.ts), and so
// does the stack's functions host, which serves the events QStash delivers.
const secretScanDir = `${root}/.local/secret-scan/${Date.now()}-${Deno.pid}`;
const logLevel = Deno.env.get("LOG_LEVEL") ?? "warn";

const stack = await startStack({
  root,
  database: `conectar_test_${Date.now()}_${Math.floor(Math.random() * 1e4)}`,
  reset: true,
  databaseUrl: Deno.env.get("TEST_DATABASE_URL"),
  fixedPorts: false,
  // A Redis database of its own (3–15), so runs side by side never flush each other's keys.
  redisDb: 3 + Math.floor(Math.random() * 13),
  log: quiet,
  hostLogging: (env) => scannedLogging(createSecretScanner(env), fileRecorder(secretScanDir), logLevel),
}).catch((error) => {
  if (!(error instanceof StackError)) console.error(error);
  console.log("the test stack could not start; no test ran");
  console.log("0 passed, 1 failed");
  Deno.exit(1);
});

let passed = 0;
let failed = 0;
let code = 1;
try {
  await flushRedis(stack.env);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "-A",
      "--parallel",
      ...flags,
      ...(paths.length ? paths : ["tests/", "shared/", "functions/"]),
    ],
    cwd: root,
    env: {
      ...stack.env,
      NO_COLOR: "1",
      LOG_LEVEL: logLevel,
      TEST_ROOT: root,
      // Tests act as a trusted edge proxy in front of the gateway: the x-forwarded-for they send is
      // the client's address, so each test gets its own rate-limit bucket.
      TRUSTED_PROXY_HOPS: "2",
      SECRET_SCAN_DIR: secretScanDir,
    },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const decoder = new TextDecoder();
  let tail = "";
  for await (const chunk of child.stdout) {
    await Deno.stdout.write(chunk);
    tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4000);
  }
  code = (await child.status).code;
  // Deno's own summary: "ok | 12 passed (3 steps) | 0 failed (1s)".
  const summary = /(\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/.exec(tail);
  if (summary) [passed, failed] = [Number(summary[1]), Number(summary[2])];
  else if (code !== 0) failed = Math.max(failed, 1);
} finally {
  await stack.stop({ dropDatabase: true });
}
// After the stack stopped: the functions host logs until then.
if (reportSecretHits(secretScanDir)) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(code === 0 && failed === 0 && passed > 0 ? 0 : 1);

/** Prints every hit of the secret scan; true when there was one (the run then fails). */
function reportSecretHits(dir: string): boolean {
  const lines: string[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) {
      lines.push(...Deno.readTextFileSync(`${dir}/${entry.name}`).split("\n").filter(Boolean));
    }
    Deno.removeSync(dir, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (!lines.length) return false;
  console.log(`secret scan: ${lines.length} secret(s) in responses or log lines`);
  for (const line of lines) console.log(`  ${line}`);
  return true;
}

async function flushRedis(env: Record<string, string>) {
  const response = await fetch(env.UPSTASH_REDIS_REST_URL, {
    method: "POST",
    headers: { authorization: `Bearer ${env.UPSTASH_REDIS_REST_TOKEN}` },
    body: JSON.stringify(["FLUSHDB"]),
  });
  await response.body?.cancel();
}
