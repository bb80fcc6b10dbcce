// Creates and starts a throwaway PostgreSQL 15 + PostGIS cluster inside the
// project (e.g. `.local/pg`), so local development and tests never depend on,
// or modify, a system-wide PostgreSQL.

import { dirname, resolve } from "node:path";
import { takeLease } from "./leases.ts";
import { canConnect, choosePort } from "./ports.ts";

export interface LocalPostgres {
  /** Superuser URL over TCP: `postgres://postgres@127.0.0.1:<port>/postgres`. */
  adminUrl: string;
  /** The port it listens on: the one asked for, or another when that was taken or it already ran there. */
  port: number;
  /** Stops the cluster if this call started it and no other run still uses it (./leases.ts). */
  stop: () => Promise<void>;
  /** False when an already running cluster was reused. */
  started: boolean;
}

const PG_BIN = "/usr/lib/postgresql/15/bin";
const POSTGIS_CONTROL = "/usr/share/postgresql/15/extension/postgis.control";
const APT_PACKAGES = ["postgresql-15", "postgresql-15-postgis-3"];
const READY_TIMEOUT_MS = 30_000;
// Our settings live in their own file so they are rewritten on every start
// (the port may change between runs) without editing initdb's postgresql.conf again.
const CONF_FILE = "local-dev.conf";

/**
 * Reuses the cluster in `dataDir` when it runs (on whatever port), else starts it on `port`, or on a
 * free port when another process holds `port`: a run never depends on the port being free.
 */
export async function ensurePostgres(
  opts: { dataDir: string; port: number; log: (msg: string) => void },
): Promise<LocalPostgres> {
  const { log } = opts;
  const dataDir = resolve(opts.dataDir);
  const asRoot = Deno.uid() === 0;
  const adminUrl = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;

  await ensureInstalled(asRoot, log);

  const initialised = await exists(`${dataDir}/PG_VERSION`);
  if (initialised && (await pgCtl(asRoot, ["-D", dataDir, "status"])).success) {
    const port = (await postmasterPort(dataDir)) ?? opts.port;
    log(`postgres: reusing the cluster already running from ${dataDir} on port ${port}`);
    const lease = await takeLease(`${dataDir}.users`);
    return { adminUrl: adminUrl(port), port, stop: async () => void await lease.release(), started: false };
  }

  const { port, fallback } = await choosePort(opts.port);
  if (fallback) {
    log(
      `WARNING: port ${opts.port} is in use by another process (not the cluster in ${dataDir}; if it is ` +
        `the Supabase CLI's local stack, \`supabase stop\` frees it); starting the cluster on ` +
        `127.0.0.1:${port} instead`,
    );
  }

  await prepareDataDir(dataDir, asRoot, log);
  if (!initialised) await initCluster(dataDir, asRoot, log);
  await writeSettings(dataDir, port, asRoot);

  const logFile = `${dataDir}/server.log`;
  log(`postgres: starting cluster ${dataDir} on 127.0.0.1:${port}`);
  const start = await pgCtl(asRoot, ["-D", dataDir, "-l", logFile, "-w", "-t", "30", "start"]);
  if (!start.success || !(await waitForPort(port, READY_TIMEOUT_MS))) {
    throw new Error(
      `PostgreSQL did not start on 127.0.0.1:${port}.\n${start.output}\n` +
        `Last lines of ${logFile}:\n${await tail(logFile)}`,
    );
  }

  const lease = await takeLease(`${dataDir}.users`);
  let stopped = false;
  return {
    adminUrl: adminUrl(port),
    port,
    started: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!(await lease.release())) {
        log(`postgres: leaving ${dataDir} running: another run still uses it`);
        return;
      }
      const result = await pgCtl(asRoot, ["-D", dataDir, "-m", "fast", "-w", "stop"]);
      if (!result.success) throw new Error(`pg_ctl stop failed for ${dataDir}:\n${result.output}`);
    },
  };
}

async function ensureInstalled(asRoot: boolean, log: (msg: string) => void): Promise<void> {
  const present = async () =>
    (await exists(`${PG_BIN}/initdb`)) && (await exists(`${PG_BIN}/pg_ctl`)) &&
    (await exists(`${PG_BIN}/postgres`)) && (await exists(POSTGIS_CONTROL));
  if (await present()) return;

  const command = `apt-get install -y ${APT_PACKAGES.join(" ")}`;
  if (!asRoot) {
    throw new Error(
      `PostgreSQL 15 with PostGIS is not installed. Install it with: sudo ${command}`,
    );
  }
  log(`postgres: PostgreSQL 15 / PostGIS missing, running: ${command}`);
  // `apt-get update` is slow; only pay for it when the plain install fails.
  let ok = await apt(["install", "-y", ...APT_PACKAGES], log);
  if (!ok) {
    log("postgres: install failed, running apt-get update and retrying...");
    ok = (await apt(["update"], log)) && (await apt(["install", "-y", ...APT_PACKAGES], log));
  }
  if (!ok || !(await present())) {
    throw new Error(`Installing PostgreSQL 15 / PostGIS failed (${command}); see the apt output above.`);
  }
  log("postgres: PostgreSQL 15 and PostGIS installed.");
}

/** Runs apt-get, forwarding its output line by line so a long install shows progress. */
async function apt(args: string[], log: (msg: string) => void): Promise<boolean> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("apt-get", {
      args,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    log(`apt-get: ${(error as Error).message}`);
    return false;
  }
  const forward = async (stream: ReadableStream<Uint8Array>) => {
    let pending = "";
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      const lines = (pending + text).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) log(`apt-get: ${line}`);
    }
    if (pending.trim()) log(`apt-get: ${pending}`);
  };
  const [status] = await Promise.all([child.status, forward(child.stdout), forward(child.stderr)]);
  return status.success;
}

/** As root the cluster must belong to `postgres`, since initdb/postgres refuse to run as root. */
async function prepareDataDir(
  dataDir: string,
  asRoot: boolean,
  log: (msg: string) => void,
): Promise<void> {
  await Deno.mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (!asRoot) return;
  const chown = await run("chown", ["-R", "postgres:postgres", dataDir]);
  if (!chown.success) throw new Error(`chown postgres ${dataDir} failed:\n${chown.output}`);
  // The postgres user must be able to traverse every parent directory.
  for (let dir = dirname(dataDir);; dir = dirname(dir)) {
    const { mode } = await Deno.stat(dir);
    if (mode !== null && (mode & 0o001) === 0) {
      log(`postgres: adding o+x to ${dir} so the postgres user can reach ${dataDir}`);
      await Deno.chmod(dir, (mode & 0o7777) | 0o001);
    }
    if (dir === dirname(dir)) break;
  }
}

async function initCluster(dataDir: string, asRoot: boolean, log: (msg: string) => void) {
  log(`postgres: initialising a new cluster in ${dataDir}`);
  const base = ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8"];
  let result = await pgTool(asRoot, "initdb", [...base, "--locale=C.UTF-8"]);
  if (!result.success) {
    // Minimal images may lack the C.UTF-8 locale; plain C always exists.
    log("postgres: initdb with --locale=C.UTF-8 failed, retrying with --locale=C");
    result = await pgTool(asRoot, "initdb", [...base, "--locale=C"]);
  }
  if (!result.success) throw new Error(`initdb failed for ${dataDir}:\n${result.output}`);
}

async function writeSettings(dataDir: string, port: number, asRoot: boolean): Promise<void> {
  const quoted = (value: string) => `'${value.replaceAll("'", "''")}'`;
  // Durability is traded for speed: this cluster holds disposable dev/test data.
  const settings = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = ${quoted(dataDir)}`,
    `jit = off`,
    `fsync = off`,
    `synchronous_commit = off`,
    `full_page_writes = off`,
    `max_connections = 200`,
    `shared_buffers = 256MB`,
  ];
  await Deno.writeTextFile(
    `${dataDir}/${CONF_FILE}`,
    `# Written by scripts/local/postgres.ts on every start; edits are overwritten.\n` +
      settings.join("\n") + "\n",
  );
  const mainConf = `${dataDir}/postgresql.conf`;
  const include = `include_if_exists = '${CONF_FILE}'`;
  if (!(await Deno.readTextFile(mainConf)).includes(include)) {
    await Deno.writeTextFile(mainConf, `\n${include}\n`, { append: true });
  }
  if (asRoot) await run("chown", ["postgres:postgres", `${dataDir}/${CONF_FILE}`, mainConf]);
}

/** The port recorded by the running postmaster (4th line of postmaster.pid). */
async function postmasterPort(dataDir: string): Promise<number | null> {
  try {
    const line = (await Deno.readTextFile(`${dataDir}/postmaster.pid`)).split("\n")[3];
    const port = Number(line);
    return Number.isInteger(port) && port > 0 ? port : null;
  } catch {
    return null;
  }
}

function pgCtl(asRoot: boolean, args: string[]): Promise<RunResult> {
  return pgTool(asRoot, "pg_ctl", args);
}

function pgTool(asRoot: boolean, tool: string, args: string[]): Promise<RunResult> {
  const binary = `${PG_BIN}/${tool}`;
  return asRoot ? run("runuser", ["-u", "postgres", "--", binary, ...args]) : run(binary, args);
}

interface RunResult {
  success: boolean;
  output: string;
}

async function run(cmd: string, args: string[]): Promise<RunResult> {
  try {
    const result = await new Deno.Command(cmd, {
      args,
      // "/" so tools run as postgres never fail on an unreadable working directory.
      cwd: "/",
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    return {
      success: result.success,
      output: (decoder.decode(result.stdout) + decoder.decode(result.stderr)).trim(),
    };
  } catch (error) {
    return { success: false, output: `${cmd}: ${(error as Error).message}` };
  }
}

async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function tail(file: string, lines = 30): Promise<string> {
  try {
    return (await Deno.readTextFile(file)).trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log written)";
  }
}
