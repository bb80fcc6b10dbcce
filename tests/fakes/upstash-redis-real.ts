import { createClient, ErrorReply, MultiErrorReply } from "redis";
import {
  type Backend,
  type Command,
  rejectedError,
  type Reply,
  ReplyError,
} from "./upstash-redis-backend.ts";
import { scriptTranslator } from "./upstash-redis-scripts.ts";

/**
 * The Upstash REST stand-in's backend: a real redis-server through node-redis, every command
 * (Lua scripts included, Upstash-only shebang flags stripped) on one connection.
 */
export async function redisBackend(redisUrl: string, db?: number): Promise<Backend> {
  let connected = false;
  const client = createClient({
    url: redisUrl,
    database: db,
    // Upstash's REST API answers in RESP2 shapes (HGETALL as a flat array); node-redis 6 defaults to RESP3.
    RESP: 2,
    // While Redis is unreachable, fail requests (a 500) instead of queueing them without bound.
    disableOfflineQueue: true,
    // A wrong URL fails `connect()` at once; a server lost later is retried until it is back.
    socket: { reconnectStrategy: (retries, cause) => connected ? Math.min(50 * 2 ** retries, 1000) : cause },
  });
  // Without a listener node-redis rethrows socket errors; the affected commands reject anyway.
  client.on("error", () => {});
  await client.connect();
  connected = true;
  const translate = scriptTranslator();
  let closed = false;

  // Not async: sendCommand queues synchronously, so a pipeline's commands reach Redis in order
  // while being written back to back (node-redis pipelines everything on the connection).
  function run(command: Command): Promise<Reply> {
    const { sent, fix } = translate(command);
    return client.sendCommand(sent).then((reply) => fix(toReply(reply)), asReply);
  }

  return {
    run,
    pipeline: (commands) => Promise.all(commands.map((command) => rejectedOr(command, run))),
    async multiExec(commands) {
      const rejected = commands.map(rejectedError).find((e) => e !== null);
      if (rejected) return rejected;
      // node-redis writes MULTI…EXEC as one block, so other requests' commands cannot land inside it.
      const multi = client.multi();
      const fixes = commands.map((command) => {
        const { sent, fix } = translate(command);
        multi.addCommand(sent);
        return fix;
      });
      let replies: unknown[];
      try {
        replies = await multi.exec();
      } catch (error) {
        // Some commands failed at run time: EXEC still ran them all, the errors sit among the replies.
        if (error instanceof MultiErrorReply) replies = error.replies;
        // A command failed when queued: Redis discarded the whole transaction.
        else if (error instanceof ErrorReply) return new ReplyError(discarded(error.message));
        else throw error;
      }
      return replies.map((reply, i) => fixes[i](toReply(reply)));
    },
    async close() {
      if (closed) return;
      closed = true;
      // close() waits for pending replies, which never come while reconnecting.
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    },
  };
}

function rejectedOr(command: Command, run: (command: Command) => Promise<Reply>): Promise<Reply> {
  const rejected = rejectedError(command);
  return rejected ? Promise.resolve(rejected) : run(command);
}

function discarded(message: string): string {
  return message.startsWith("EXECABORT") ? message : `EXECABORT Transaction discarded: ${message}`;
}

/** Error replies become values; anything else (a lost connection) stays an exception. */
function asReply(error: unknown): Reply {
  if (error instanceof ErrorReply) return new ReplyError(error.message);
  throw error;
}

function toReply(value: unknown): Reply {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number") return value;
  if (value instanceof ErrorReply) return new ReplyError(value.message);
  if (Array.isArray(value)) return value.map(toReply);
  return String(value);
}
