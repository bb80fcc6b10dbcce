import { createHash } from "node:crypto";
import { connectRedis, type RespClient, RespError, type RespValue } from "../../shared/redis-resp.ts";
import { type Backend, type Command, rejectedError } from "./upstash-redis-backend.ts";

/**
 * The Upstash REST stand-in's backend on a real redis-server: every command, Lua scripts
 * included (Upstash-only shebang flags stripped), over a small pool of connections.
 */
const MAX_IDLE_CONNECTIONS = 8;

export function redisBackend(redisUrl: string): Backend {
  // One connection per in-flight request, recycled through a small idle pool,
  // so concurrent HTTP requests never queue behind each other's round trips.
  const idle: RespClient[] = [];
  let closed = false;
  const translate = scriptTranslator();

  async function send(client: RespClient, command: Command): Promise<RespValue> {
    const { sent, fix } = translate(command);
    return fix(await client.command(sent));
  }

  async function withConnection<T>(fn: (client: RespClient) => Promise<T>): Promise<T> {
    const client = idle.pop() ?? await connectRedis(redisUrl);
    let reusable = false;
    try {
      const result = await fn(client);
      reusable = true;
      return result;
    } finally {
      if (reusable && !closed && idle.length < MAX_IDLE_CONNECTIONS) idle.push(client);
      else client.close();
    }
  }

  return {
    run: (command) => withConnection((client) => send(client, command)),
    pipeline: (commands) =>
      withConnection(async (client) => {
        const replies: RespValue[] = [];
        for (const command of commands) {
          replies.push(rejectedError(command) ?? await send(client, command));
        }
        return replies;
      }),
    multiExec: (commands) => {
      const rejected = commands.map(rejectedError).find((e) => e !== null);
      if (rejected) return Promise.resolve(rejected);
      // A dedicated connection: MULTI state must not leak into other requests.
      return withConnection(async (client) => {
        await client.command(["MULTI"]);
        const fixes: ((reply: RespValue) => RespValue)[] = [];
        for (const command of commands) {
          const { sent, fix } = translate(command);
          fixes.push(fix);
          const queued = await client.command(sent);
          if (queued instanceof RespError) {
            await client.command(["DISCARD"]);
            return new RespError(`EXECABORT Transaction discarded: ${queued.message}`);
          }
        }
        const replies = await client.command(["EXEC"]);
        if (replies instanceof RespError) return replies;
        if (!Array.isArray(replies)) return new RespError("EXECABORT Transaction aborted");
        return replies.map((reply, i) => fixes[i](reply));
      });
    },
    close() {
      closed = true;
      for (const client of idle.splice(0)) client.close();
      return Promise.resolve();
    },
  };
}

// Script flags Redis 7 understands; any other flag makes Redis refuse the script.
const REDIS_SCRIPT_FLAGS = new Set([
  "no-writes",
  "allow-oom",
  "allow-stale",
  "no-cluster",
  "allow-cross-slot-keys",
]);

/** Drops Upstash-only shebang flags (e.g. `allow-key-locking`) that Redis rejects. */
function adaptScript(script: string): string {
  const match = script.match(/^#!lua[ \t]+flags=(\S*)/);
  if (!match) return script;
  const kept = match[1].split(",").filter((flag) => REDIS_SCRIPT_FLAGS.has(flag));
  const shebang = kept.length > 0 ? `#!lua flags=${kept.join(",")}` : "#!lua";
  return shebang + script.slice(match[0].length);
}

function sha1(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

/**
 * Rewrites scripts for Redis while keeping the client's view of SHA1s: the
 * client computes the SHA1 of the script *it* sent, so EVALSHA with that hash
 * is mapped to the hash of the rewritten script Redis actually cached.
 */
function scriptTranslator() {
  const shaOf = new Map<string, string>(); // client SHA1 -> SHA1 known to Redis
  const keep = (reply: RespValue) => reply;

  return function translate(command: Command): { sent: Command; fix: (r: RespValue) => RespValue } {
    const [name, first = "", ...rest] = command;
    const upper = name.toUpperCase();
    if (upper === "EVAL" || upper === "EVAL_RO") {
      const script = adaptScript(first);
      if (script === first) return { sent: command, fix: keep };
      shaOf.set(sha1(first), sha1(script));
      return { sent: [name, script, ...rest], fix: keep };
    }
    if (upper === "EVALSHA" || upper === "EVALSHA_RO") {
      const mapped = shaOf.get(first.toLowerCase());
      return { sent: mapped ? [name, mapped, ...rest] : command, fix: keep };
    }
    if (upper === "SCRIPT" && first.toUpperCase() === "LOAD" && rest.length === 1) {
      const script = adaptScript(rest[0]);
      if (script === rest[0]) return { sent: command, fix: keep };
      const clientSha = sha1(rest[0]);
      shaOf.set(clientSha, sha1(script));
      return {
        sent: [name, first, script],
        fix: (reply) => (typeof reply === "string" ? clientSha : reply),
      };
    }
    return { sent: command, fix: keep };
  };
}
