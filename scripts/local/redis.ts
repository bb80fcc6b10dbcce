// Starts a project-local, throwaway redis-server for development and tests.
//
// Redis is optional for local work: when it cannot be provided the caller
// falls back to an in-memory stand-in, so every failure here is a warning
// (url: null), never an exception.

import { resolve } from "node:path";

export interface LocalRedis {
  /** `redis://127.0.0.1:<port>`, or null when no Redis could be provided. */
  url: string | null;
  /** Stops the server if (and only if) this call started it. */
  stop: () => Promise<void>;
  /** False when an already running server was reused (or none is available). */
  started: boolean;
}

const START_TIMEOUT_MS = 10_000;

export async function ensureRedis(
  opts: { dataDir: string; port: number; log: (msg: string) => void },
): Promise<LocalRedis> {
  const { port, log } = opts;
  // Absolute, because redis-server chdirs into --dir before opening --logfile.
  const dataDir = resolve(opts.dataDir);
  const url = `redis://127.0.0.1:${port}`;
  const noop = () => Promise.resolve();

  const probe = await pingRedis(port);
  if (probe === "pong") {
    log(`redis: reusing the server already answering on 127.0.0.1:${port}`);
    return { url, stop: noop, started: false };
  }
  if (probe === "other") {
    log(
      `WARNING: port ${port} is in use by something that is not a usable Redis ` +
        `(no PONG); falling back to the in-memory Redis stand-in.`,
    );
    return { url: null, stop: noop, started: false };
  }

  if (!(await hasRedisServer()) && !(await installRedisServer(log))) {
    return { url: null, stop: noop, started: false };
  }

  await Deno.mkdir(dataDir, { recursive: true });
  const logFile = `${dataDir}/redis.log`;
  const child = new Deno.Command("redis-server", {
    args: [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "no",
      "--dir",
      dataDir,
      // Logging to a file (not a pipe) so an unread pipe can never block the server.
      "--logfile",
      logFile,
    ],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();

  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && !exited) {
    if ((await pingRedis(port)) === "pong") {
      log(`redis: started redis-server on 127.0.0.1:${port} (data in ${dataDir})`);
      let stopped = false;
      return {
        url,
        started: true,
        async stop() {
          if (stopped) return;
          stopped = true;
          if (!exited) {
            try {
              child.kill("SIGTERM");
            } catch {
              // Exited between the check and the kill.
            }
          }
          await status;
        },
      };
    }
    await delay(100);
  }

  if (!exited) {
    child.kill("SIGTERM");
  }
  await status;
  log(
    `WARNING: redis-server did not come up on 127.0.0.1:${port}; falling back to the ` +
      `in-memory Redis stand-in. Last lines of ${logFile}:\n${await tail(logFile)}`,
  );
  return { url: null, stop: noop, started: false };
}

/** "pong": a Redis answered; "other": something else holds the port; "free": nothing listens. */
async function pingRedis(port: number): Promise<"pong" | "other" | "free"> {
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
  } catch {
    return "free";
  }
  try {
    await conn.write(new TextEncoder().encode("*1\r\n$4\r\nPING\r\n"));
    const buf = new Uint8Array(64);
    const timer = setTimeout(() => conn.close(), 2000);
    try {
      const n = await conn.read(buf);
      const reply = n === null ? "" : new TextDecoder().decode(buf.subarray(0, n));
      return reply.startsWith("+PONG") ? "pong" : "other";
    } finally {
      clearTimeout(timer);
    }
  } catch {
    return "other";
  } finally {
    try {
      conn.close();
    } catch {
      // Closed by the timeout above.
    }
  }
}

async function hasRedisServer(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("redis-server", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false; // NotFound: not on PATH.
  }
}

async function installRedisServer(log: (msg: string) => void): Promise<boolean> {
  if (Deno.uid() !== 0) {
    log(
      "WARNING: redis-server is not installed; falling back to the in-memory Redis stand-in " +
        "(Lua scripts will not work). Install it with: sudo apt-get install -y redis-server",
    );
    return false;
  }
  log("redis: redis-server not found, installing it with apt-get (running as root)...");
  // Try without `apt-get update` first: it is slow and usually unnecessary.
  if (!(await aptInstall()) && !((await runApt(["update"])) && (await aptInstall()))) {
    log(
      "WARNING: could not install redis-server with apt-get; falling back to the in-memory " +
        "Redis stand-in (Lua scripts will not work).",
    );
    return false;
  }
  log("redis: redis-server installed.");
  return await hasRedisServer();
}

function aptInstall(): Promise<boolean> {
  return runApt(["install", "-y", "redis-server"]);
}

async function runApt(args: string[]): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("apt-get", {
      args,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdin: "null",
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    return success;
  } catch {
    return false;
  }
}

async function tail(file: string, lines = 20): Promise<string> {
  try {
    return (await Deno.readTextFile(file)).trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log written)";
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
