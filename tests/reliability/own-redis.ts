import { freePort } from "../../scripts/local/ports.ts";
import { spawnRedis } from "../../scripts/local/redis-server.ts";
import { startUpstashRedisStandIn, type UpstashRedisStandIn } from "../fakes/upstash-redis.ts";

/**
 * A redis-server of a fault test's own behind an Upstash REST stand-in of its own (the run's
 * Redis serves every other test file), which the test may stop and start again. Upstash keeps its
 * data through an outage, so `stop` saves a snapshot that `start` loads.
 *
 * @example
 * const redis = await startOwnRedis();
 * const gw = await api(redis.env);        // a gateway whose Upstash is this one
 * await redis.stop(); await redis.start();
 * await redis.destroy();
 */
export type OwnRedis = {
  /** UPSTASH_REDIS_REST_URL / _TOKEN of the stand-in (it keeps answering: 500 while Redis is down). */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: Redis keeps its connections but answers nothing (a hung Upstash). */
  pause(): Promise<void>;
  resume(): Promise<void>;
  destroy(): Promise<void>;
};

export async function startOwnRedis(): Promise<OwnRedis> {
  const root = new URL("../..", import.meta.url).pathname;
  const dataDir = `${root}.local/reliability/redis-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(dataDir, { recursive: true });
  const port = freePort();
  let stopServer: (() => Promise<void>) | null = null;
  const start = async () => {
    const server = await spawnRedis({ dataDir, port });
    if (!server.ok) throw new Error(`redis-server did not start:\n${server.logTail}`);
    stopServer = server.stop;
  };
  await start();
  let standIn: UpstashRedisStandIn;
  try {
    standIn = await startUpstashRedisStandIn({ redisUrl: `redis://127.0.0.1:${port}`, token: "fault-redis" });
  } catch (error) {
    await stopServer!();
    throw error;
  }
  const command = async (args: string[]): Promise<unknown> => {
    const response = await fetch(standIn.url, {
      method: "POST",
      headers: { authorization: `Bearer ${standIn.token}` },
      body: JSON.stringify(args),
    });
    if (!response.ok) throw new Error(`${args[0]}: ${response.status} ${await response.text()}`);
    return (await response.json()).result;
  };
  const pid = async () => Number(/process_id:(\d+)/.exec(String(await command(["INFO", "server"])))?.[1]);
  let paused: number | null = null;
  const stop = async () => {
    await command(["SAVE"]);
    await stopServer?.();
    stopServer = null;
  };
  return {
    env: { UPSTASH_REDIS_REST_URL: standIn.url, UPSTASH_REDIS_REST_TOKEN: standIn.token },
    stop,
    start,
    async pause() {
      paused = await pid();
      Deno.kill(paused, "SIGSTOP");
    },
    resume() {
      if (paused !== null) Deno.kill(paused, "SIGCONT");
      paused = null;
      return Promise.resolve();
    },
    async destroy() {
      if (paused !== null) Deno.kill(paused, "SIGCONT");
      await stopServer?.();
      stopServer = null;
      await standIn.stop();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}
