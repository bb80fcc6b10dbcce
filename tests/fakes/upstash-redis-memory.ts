import { RespError, type RespValue } from "../../shared/redis-resp.ts";
import { type Backend, type Command, rejectedError } from "./upstash-redis-backend.ts";

/**
 * The Upstash REST stand-in's fallback when no redis-server can run: the common commands in
 * memory, expiry honoured lazily; scripts answer a clear error.
 */
type Entry =
  | { kind: "string"; value: string; expiresAt: number | null }
  | { kind: "hash"; value: Map<string, string>; expiresAt: number | null };

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INTEGER = "ERR value is not an integer or out of range";
const NO_SCRIPTS = "ERR scripts are not supported by the in-memory stand-in; install redis-server";

export function memoryBackend(): Backend {
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
