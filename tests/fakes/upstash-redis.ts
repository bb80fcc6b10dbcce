// Local stand-in for the Upstash Redis REST API, so code using the
// `@upstash/redis` SDK (and `@upstash/ratelimit`) can run in development and
// tests without an Upstash account or network access.
//
// Protocol, as used by `@upstash/redis@1.39.0` (see its pkg/http.ts):
// - `Authorization: Bearer <token>` (or `?_token=`), else 401.
// - `POST /` with `["CMD", ...args]` -> `{"result": ...}`; Redis errors -> 400 `{"error": ...}`.
// - `POST /pipeline` and `POST /multi-exec` with `[[...], ...]` ->
//   `[{"result": ...} | {"error": ...}, ...]`; a discarded transaction -> 400 `{"error": ...}`.
// - Path form `/cmd/arg1/arg2` (a POST body is appended as the last argument).
// - `Upstash-Encoding: base64` (the SDK's default): every string in the result,
//   recursively, is base64 of its UTF-8 bytes, except a top-level "OK". The SDK
//   keeps a top-level "OK" as is but base64-decodes every string inside arrays,
//   so "OK" must be encoded there. Errors are never encoded.
//
// Backed by a real redis-server when `redisUrl` is given (Lua scripts, every
// command), otherwise by a small in-memory store covering the common commands.
// Upstash accepts Lua shebang flags that Redis rejects (`@upstash/ratelimit`
// sends `#!lua flags=allow-key-locking`), so the Redis backend strips them.

import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { connectRedis, type RespClient, RespError, type RespValue } from "../../shared/redis-resp.ts";

export interface UpstashRedisStandIn {
  /** Base URL to pass to the SDK as `url` (UPSTASH_REDIS_REST_URL). */
  url: string;
  token: string;
  stop: () => Promise<void>;
}

type Command = string[];

interface Backend {
  run(command: Command): Promise<RespValue>;
  pipeline(commands: Command[]): Promise<RespValue[]>;
  /** Resolves to a RespError when the whole transaction was discarded. */
  multiExec(commands: Command[]): Promise<RespValue[] | RespError>;
  close(): Promise<void>;
}

// Commands that would change per-connection state and so corrupt the pool,
// or that need a streaming response the stand-in does not implement.
const REJECTED = new Set([
  "SELECT",
  "MULTI",
  "EXEC",
  "DISCARD",
  "WATCH",
  "UNWATCH",
  "SUBSCRIBE",
  "PSUBSCRIBE",
  "SSUBSCRIBE",
  "UNSUBSCRIBE",
  "PUNSUBSCRIBE",
  "MONITOR",
  "QUIT",
  "RESET",
  "HELLO",
  "AUTH",
]);

export async function startUpstashRedisStandIn(
  opts: { redisUrl: string | null; token: string; port?: number; db?: number },
): Promise<UpstashRedisStandIn> {
  const backend = opts.redisUrl ? redisBackend(withDb(opts.redisUrl, opts.db)) : memoryBackend();
  if (opts.redisUrl) {
    // Fail fast on a wrong URL instead of on the first HTTP request.
    const pong = await backend.run(["PING"]);
    if (pong instanceof RespError) throw pong;
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: opts.port ?? 0, onListen() {} },
    (req) => handle(req, opts.token, backend),
  );
  let stopped = false;
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    token: opts.token,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.shutdown();
      await backend.close();
    },
  };
}

function withDb(redisUrl: string, db: number | undefined): string {
  if (db === undefined) return redisUrl;
  const url = new URL(redisUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

// ---------------------------------------------------------------------------
// HTTP layer

async function handle(req: Request, token: string, backend: Backend): Promise<Response> {
  const url = new URL(req.url);
  if (!["GET", "HEAD", "POST", "PUT"].includes(req.method)) {
    return json(405, { error: "Method Not Allowed" });
  }
  const bearer = req.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
  if ((bearer ?? url.searchParams.get("_token")) !== token) {
    return json(401, { error: "Unauthorized" });
  }
  const base64 = req.headers.get("upstash-encoding")?.toLowerCase() === "base64";
  const path = url.pathname.replace(/\/+$/, "");

  try {
    if (path === "/pipeline" || path === "/multi-exec") {
      const commands = parseCommandList(await req.text());
      if (typeof commands === "string") return json(400, { error: commands });
      const replies = path === "/pipeline"
        ? await backend.pipeline(commands)
        : await backend.multiExec(commands);
      if (replies instanceof RespError) return json(400, { error: replies.message });
      return json(200, replies.map((reply) => toEntry(reply, base64)));
    }

    const command = path === "" ? parseCommand(await req.text()) : await pathCommand(req, url);
    if (typeof command === "string") return json(400, { error: command });
    const entry = toEntry(await dispatch(backend, command), base64);
    return json("error" in entry ? 400 : 200, entry);
  } catch (error) {
    // A lost Redis connection is an infrastructure failure, not a command error.
    return json(500, { error: `ERR upstash stand-in: ${(error as Error).message}` });
  }
}

function dispatch(backend: Backend, command: Command): Promise<RespValue> {
  const rejected = rejectedError(command);
  return rejected ? Promise.resolve(rejected) : backend.run(command);
}

function rejectedError(command: Command): RespError | null {
  const name = command[0].toUpperCase();
  return REJECTED.has(name)
    ? new RespError(`ERR '${command[0]}' is not supported by the Upstash REST stand-in`)
    : null;
}

function parseCommand(body: string): Command | string {
  try {
    const parsed = JSON.parse(body);
    return isCommand(parsed) ? parsed.map(toArg) : "ERR failed to parse command";
  } catch {
    return "ERR failed to parse command";
  }
}

function parseCommandList(body: string): Command[] | string {
  try {
    const parsed = JSON.parse(body);
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isCommand)) {
      return "ERR failed to parse pipeline request";
    }
    return parsed.map((command: unknown[]) => command.map(toArg));
  } catch {
    return "ERR failed to parse pipeline request";
  }
}

function isCommand(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === "string";
}

/** The SDK sends strings, numbers and booleans; anything else arrives as JSON text. */
function toArg(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** `/set/k/v?EX=100` with an optional POST body appended as the value (Upstash docs). */
async function pathCommand(req: Request, url: URL): Promise<Command | string> {
  const command = url.pathname.split("/").filter((s) => s !== "").map(decodeURIComponent);
  if (command.length === 0) return "ERR failed to parse command";
  if (req.method === "POST" || req.method === "PUT") {
    const body = await req.text();
    if (body !== "") command.push(body);
  }
  for (const [key, value] of url.searchParams) {
    if (key === "_token") continue;
    command.push(key);
    if (value !== "") command.push(value);
  }
  return command;
}

function toEntry(reply: RespValue, base64: boolean): { result: unknown } | { error: string } {
  if (reply instanceof RespError) return { error: reply.message };
  if (base64 && reply === "OK") return { result: "OK" };
  return { result: encodeValue(reply, base64) };
}

function encodeValue(value: RespValue, base64: boolean): unknown {
  if (value instanceof RespError) return value.message;
  if (Array.isArray(value)) return value.map((item) => encodeValue(item, base64));
  if (typeof value === "string" && base64) return Buffer.from(value, "utf8").toString("base64");
  return value;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

// ---------------------------------------------------------------------------
// Real Redis backend

const MAX_IDLE_CONNECTIONS = 8;

function redisBackend(redisUrl: string): Backend {
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

// ---------------------------------------------------------------------------
// In-memory fallback backend

type Entry =
  | { kind: "string"; value: string; expiresAt: number | null }
  | { kind: "hash"; value: Map<string, string>; expiresAt: number | null };

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INTEGER = "ERR value is not an integer or out of range";
const NO_SCRIPTS = "ERR scripts are not supported by the in-memory stand-in; install redis-server";

function memoryBackend(): Backend {
  const store = new Map<string, Entry>();

  /** Expiry is applied lazily, on access, which is all callers can observe. */
  function lookup(key: string): Entry | undefined {
    const entry = store.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry;
  }

  function execute(command: Command): RespValue {
    const rejected = rejectedError(command);
    if (rejected) return rejected;
    const name = command[0].toUpperCase();
    const spec = COMMANDS[name];
    if (!spec) {
      return new RespError(
        `ERR unknown command '${
          command[0]
        }' (not implemented by the in-memory stand-in; install redis-server)`,
      );
    }
    const args = command.slice(1);
    if (args.length < spec.min || (spec.max !== undefined && args.length > spec.max)) {
      return new RespError(`ERR wrong number of arguments for '${command[0].toLowerCase()}' command`);
    }
    try {
      return spec.run(args);
    } catch (error) {
      if (error instanceof RespError) return error;
      throw error;
    }
  }

  function stringValue(key: string): string | null {
    const entry = lookup(key);
    if (!entry) return null;
    if (entry.kind !== "string") throw new RespError(WRONGTYPE);
    return entry.value;
  }

  function hash(key: string, create: boolean): Map<string, string> | null {
    const entry = lookup(key);
    if (entry && entry.kind !== "hash") throw new RespError(WRONGTYPE);
    if (entry) return entry.value;
    if (!create) return null;
    const value = new Map<string, string>();
    store.set(key, { kind: "hash", value, expiresAt: null });
    return value;
  }

  function incrBy(key: string, by: number): number {
    const current = stringValue(key);
    const base = current === null ? 0 : parseInteger(current);
    const next = base + by;
    if (!Number.isSafeInteger(next)) throw new RespError("ERR increment or decrement would overflow");
    const expiresAt = lookup(key)?.expiresAt ?? null; // INCR keeps the TTL.
    store.set(key, { kind: "string", value: String(next), expiresAt });
    return next;
  }

  function set(key: string, value: string, options: string[]): RespValue {
    let expiresAt: number | null = null;
    let keepTtl = false;
    let condition: "NX" | "XX" | null = null;
    let returnOld = false;
    for (let i = 0; i < options.length; i++) {
      const option = options[i].toUpperCase();
      if (option === "NX" || option === "XX") condition = option;
      else if (option === "KEEPTTL") keepTtl = true;
      else if (option === "GET") returnOld = true;
      else if (["EX", "PX", "EXAT", "PXAT"].includes(option) && i + 1 < options.length) {
        const amount = parseInteger(options[++i]);
        if (amount <= 0) throw new RespError("ERR invalid expire time in 'set' command");
        expiresAt = option === "EX"
          ? Date.now() + amount * 1000
          : option === "PX"
          ? Date.now() + amount
          : option === "EXAT"
          ? amount * 1000
          : amount;
      } else throw new RespError("ERR syntax error");
    }
    const old = lookup(key);
    const oldValue = returnOld ? stringValue(key) : null;
    if ((condition === "NX" && old) || (condition === "XX" && !old)) return returnOld ? oldValue : null;
    if (keepTtl && old) expiresAt = old.expiresAt;
    store.set(key, { kind: "string", value, expiresAt });
    return returnOld ? oldValue : "OK";
  }

  function expire(key: string, ms: number, options: string[]): number {
    const entry = lookup(key);
    if (!entry) return 0;
    const at = Date.now() + ms;
    const option = options[0]?.toUpperCase();
    if (option === "NX" && entry.expiresAt !== null) return 0;
    if (option === "XX" && entry.expiresAt === null) return 0;
    if (option === "GT" && (entry.expiresAt === null || at <= entry.expiresAt)) return 0;
    if (option === "LT" && entry.expiresAt !== null && at >= entry.expiresAt) return 0;
    if (ms <= 0) store.delete(key);
    else entry.expiresAt = at;
    return 1;
  }

  function ttl(key: string, unitMs: number): number {
    const entry = lookup(key);
    if (!entry) return -2;
    if (entry.expiresAt === null) return -1;
    return Math.round((entry.expiresAt - Date.now()) / unitMs);
  }

  function flush(): RespValue {
    store.clear();
    return "OK";
  }

  function liveKeys(): string[] {
    return [...store.keys()].filter((key) => lookup(key) !== undefined);
  }

  const COMMANDS: Record<string, { min: number; max?: number; run: (a: string[]) => RespValue }> = {
    PING: { min: 0, max: 1, run: (a) => a[0] ?? "PONG" },
    ECHO: { min: 1, max: 1, run: (a) => a[0] },
    GET: { min: 1, max: 1, run: (a) => stringValue(a[0]) },
    SET: { min: 2, run: (a) => set(a[0], a[1], a.slice(2)) },
    SETEX: { min: 3, max: 3, run: (a) => set(a[0], a[2], ["EX", a[1]]) },
    MGET: {
      min: 1,
      run: (a) => a.map((key) => (lookup(key)?.kind === "string" ? stringValue(key) : null)),
    },
    DEL: { min: 1, run: (a) => a.filter((key) => lookup(key) && store.delete(key)).length },
    EXISTS: { min: 1, run: (a) => a.filter((key) => lookup(key) !== undefined).length },
    INCR: { min: 1, max: 1, run: (a) => incrBy(a[0], 1) },
    INCRBY: { min: 2, max: 2, run: (a) => incrBy(a[0], parseInteger(a[1])) },
    DECR: { min: 1, max: 1, run: (a) => incrBy(a[0], -1) },
    DECRBY: { min: 2, max: 2, run: (a) => incrBy(a[0], -parseInteger(a[1])) },
    EXPIRE: { min: 2, max: 3, run: (a) => expire(a[0], parseInteger(a[1]) * 1000, a.slice(2)) },
    PEXPIRE: { min: 2, max: 3, run: (a) => expire(a[0], parseInteger(a[1]), a.slice(2)) },
    TTL: { min: 1, max: 1, run: (a) => ttl(a[0], 1000) },
    PTTL: { min: 1, max: 1, run: (a) => ttl(a[0], 1) },
    HSET: {
      min: 3,
      run: (a) => {
        if (a.length % 2 === 0) {
          throw new RespError("ERR wrong number of arguments for 'hset' command");
        }
        const fields = hash(a[0], true)!;
        let added = 0;
        for (let i = 1; i < a.length; i += 2) {
          if (!fields.has(a[i])) added++;
          fields.set(a[i], a[i + 1]);
        }
        return added;
      },
    },
    HGET: { min: 2, max: 2, run: (a) => hash(a[0], false)?.get(a[1]) ?? null },
    HGETALL: { min: 1, max: 1, run: (a) => [...(hash(a[0], false) ?? new Map()).entries()].flat() },
    HDEL: {
      min: 2,
      run: (a) => {
        const fields = hash(a[0], false);
        if (!fields) return 0;
        const removed = a.slice(1).filter((field) => fields.delete(field)).length;
        if (fields.size === 0) store.delete(a[0]);
        return removed;
      },
    },
    KEYS: {
      min: 1,
      max: 1,
      run: (a) => {
        const pattern = globToRegExp(a[0]);
        return liveKeys().filter((key) => pattern.test(key));
      },
    },
    DBSIZE: { min: 0, max: 0, run: () => liveKeys().length },
    FLUSHDB: { min: 0, max: 1, run: flush },
    FLUSHALL: { min: 0, max: 1, run: flush },
    EVAL: { min: 2, run: () => new RespError(NO_SCRIPTS) },
    EVALSHA: { min: 2, run: () => new RespError(NO_SCRIPTS) },
    EVAL_RO: { min: 2, run: () => new RespError(NO_SCRIPTS) },
    EVALSHA_RO: { min: 2, run: () => new RespError(NO_SCRIPTS) },
    SCRIPT: { min: 1, run: () => new RespError(NO_SCRIPTS) },
  };

  return {
    run: (command) => Promise.resolve(execute(command)),
    pipeline: (commands) => Promise.resolve(commands.map(execute)),
    multiExec(commands) {
      // Like Redis, an unknown or malformed command discards the whole
      // transaction; runtime errors (e.g. WRONGTYPE) only fail their own entry.
      for (const command of commands) {
        const spec = COMMANDS[command[0].toUpperCase()];
        const argc = command.length - 1;
        if (
          rejectedError(command) || !spec || argc < spec.min ||
          (spec.max !== undefined && argc > spec.max)
        ) {
          const reason = execute(command) as RespError;
          return Promise.resolve(new RespError(`EXECABORT Transaction discarded: ${reason.message}`));
        }
      }
      // Synchronous execution: nothing can interleave, so it is atomic.
      return Promise.resolve(commands.map(execute));
    },
    close: () => Promise.resolve(),
  };
}

function parseInteger(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new RespError(NOT_INTEGER);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RespError(NOT_INTEGER);
  return value;
}

/** Redis KEYS glob: `*`, `?`, `[abc]`, `[^a]`, `[a-z]` and `\` escapes. */
function globToRegExp(glob: string): RegExp {
  const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") source += "[\\s\\S]*";
    else if (c === "?") source += "[\\s\\S]";
    else if (c === "\\" && i + 1 < glob.length) source += escape(glob[++i]);
    else if (c === "[" && glob.indexOf("]", i + 2) !== -1) {
      const end = glob.indexOf("]", i + 2);
      const body = glob.slice(i + 1, end);
      const negate = body.startsWith("^");
      const chars = (negate ? body.slice(1) : body).replace(/[\\\]^[]/g, "\\$&");
      source += `[${negate ? "^" : ""}${chars}]`;
      i = end;
    } else source += escape(c);
  }
  return new RegExp(`^${source}$`);
}
