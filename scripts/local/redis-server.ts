// The redis-server process itself: is it installed, start one, and whose is the one on a port.

import { createClient } from "redis";

const START_TIMEOUT_MS = 10_000;
const PROBE_TIMEOUT_MS = 1_500;

export type SpawnedRedis =
  | { ok: true; stop: () => Promise<void> }
  | { ok: false; logFile: string; logTail: string };

export async function spawnRedis(opts: { dataDir: string; port: number }): Promise<SpawnedRedis> {
  const { dataDir, port } = opts;
  const logFile = `${dataDir}/redis.log`;
  const child = new Deno.Command("redis-server", {
    args: [
      ...["--port", String(port), "--bind", "127.0.0.1", "--dir", dataDir],
      ...["--save", "", "--appendonly", "no", "--daemonize", "no"],
      // A file, not a pipe, so an unread pipe can never block the server.
      ...["--logfile", logFile],
    ],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let exited = false;
  const status = child.status.finally(() => {
    exited = true;
  });
  const stop = async () => {
    try {
      if (!exited) child.kill("SIGTERM");
    } catch {
      // Exited between the check and the kill.
    }
    await status;
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && !exited) {
    // Its dir, not just a PONG: with a busy port the answer could come from another server.
    if ((await redisDir(port)) === dataDir) return { ok: true, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  return { ok: false, logFile, logTail: await tail(logFile) };
}

/**
 * The data dir (`CONFIG GET dir`) of the Redis answering on the port, or null when none answers
 * (nothing listening, another protocol, a silent peer, or CONFIG disabled).
 */
export async function redisDir(port: number): Promise<string | null> {
  const client = createClient({
    socket: { host: "127.0.0.1", port, connectTimeout: PROBE_TIMEOUT_MS, reconnectStrategy: false },
    RESP: 2,
    // No CLIENT SETINFO on connect: a peer that is not Redis would leave it unanswered.
    disableClientInfo: true,
  });
  client.on("error", () => {}); // Reported through the rejected promises below.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("no answer")), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.connect(), timeout]);
    const reply = await Promise.race([client.sendCommand(["CONFIG", "GET", "dir"]), timeout]);
    return Array.isArray(reply) && typeof reply[1] === "string" ? reply[1] : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}

export async function hasRedisServer(): Promise<boolean> {
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

/** `apt-get install -y redis-server`, paying for the slow `apt-get update` only when that fails. */
export async function aptInstallRedis(): Promise<boolean> {
  const install = () => runApt(["install", "-y", "redis-server"]);
  return (await install()) || ((await runApt(["update"])) && (await install()));
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
