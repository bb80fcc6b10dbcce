// Starts (or reuses) the project-local, throwaway redis-server for development and tests.
//
// Redis is required: the rate limits run Lua scripts, which only a real redis-server can run, so when
// none can be found, installed or started this throws with the reason and the command to fix it.

import { resolve } from "node:path";
import { takeLease } from "./leases.ts";
import { choosePort } from "./ports.ts";
import { aptInstallRedis, hasRedisServer, redisDir, spawnRedis } from "./redis-server.ts";

export interface LocalRedis {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Stops the server if this call started it and no other run still uses it (./leases.ts). */
  stop: () => Promise<void>;
  /** False when an already running server was reused. */
  started: boolean;
}

// Where a started server records its port, so later runs find it when it is not on the preferred one.
const PORT_FILE = "redis.port";

/**
 * Reuses the server serving `dataDir` (found through its port file or on `port`), else starts one on
 * `port`, or on a free port when another process holds `port`.
 */
export async function ensureRedis(
  opts: { dataDir: string; port: number; log: (msg: string) => void },
): Promise<LocalRedis> {
  const { log } = opts;
  // Absolute, because redis-server chdirs into --dir before opening --logfile; and with symlinks
  // resolved, because `CONFIG GET dir` (which tells our server from anyone else's) answers that form.
  await Deno.mkdir(opts.dataDir, { recursive: true });
  const dataDir = await Deno.realPath(resolve(opts.dataDir));

  const running = await findRunning(dataDir, opts.port);
  if (running !== null) {
    log(`redis: reusing the server already running from ${dataDir} on 127.0.0.1:${running}`);
    const lease = await takeLease(`${dataDir}/users`);
    return {
      url: `redis://127.0.0.1:${running}`,
      port: running,
      stop: async () => void await lease.release(),
      started: false,
    };
  }

  if (!(await hasRedisServer())) await installRedisServer(log);

  const { port, fallback } = await choosePort(opts.port);
  if (fallback) {
    log(
      `WARNING: port ${opts.port} is in use by another process (not the redis-server of ${dataDir}); ` +
        `starting redis-server on 127.0.0.1:${port} instead`,
    );
  }
  const server = await spawnRedis({ dataDir, port });
  if (!server.ok) {
    throw new Error(
      `redis-server did not come up on 127.0.0.1:${port}. Last lines of ${server.logFile}:\n${server.logTail}`,
    );
  }
  await Deno.writeTextFile(`${dataDir}/${PORT_FILE}`, `${port}\n`);
  log(`redis: started redis-server on 127.0.0.1:${port} (data in ${dataDir})`);
  const lease = await takeLease(`${dataDir}/users`);
  let stopped = false;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    started: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!(await lease.release())) {
        log(`redis: leaving the server of ${dataDir} running: another run still uses it`);
        return;
      }
      await Deno.remove(`${dataDir}/${PORT_FILE}`).catch(() => {});
      await server.stop();
    },
  };
}

/** The port of a running server whose data dir is `dataDir`: the recorded one, else `preferred`. */
async function findRunning(dataDir: string, preferred: number): Promise<number | null> {
  const recorded = Number((await Deno.readTextFile(`${dataDir}/${PORT_FILE}`).catch(() => "")).trim());
  const candidates = Number.isInteger(recorded) && recorded > 0 ? [recorded, preferred] : [preferred];
  for (const port of candidates) {
    if ((await redisDir(port)) === dataDir) return port;
  }
  return null;
}

async function installRedisServer(log: (msg: string) => void): Promise<void> {
  const command = "apt-get install -y redis-server";
  if (Deno.uid() !== 0) {
    throw new Error(
      `redis-server is not installed and is required (rate limits run Lua scripts). Install it with: sudo ${command}`,
    );
  }
  log(`redis: redis-server not found, running: ${command}`);
  if (!(await aptInstallRedis()) || !(await hasRedisServer())) {
    throw new Error(
      `redis-server is not installed and \`${command}\` failed (see the apt output above); ` +
        `it is required (rate limits run Lua scripts)`,
    );
  }
  log("redis: redis-server installed.");
}
