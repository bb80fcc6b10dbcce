// Minimal RESP2 client over a plain TCP socket.
//
// Why not an npm Redis client: the edge runtime only needs a handful of
// request/response round trips (local stand-ins, test fixtures), and a
// dependency-free client works the same under Deno, the Supabase edge runtime
// and `deno test` without npm compatibility shims.

/** A Redis error reply (`-ERR ...`). Returned, not thrown, so callers can map it. */
export class RespError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RespError";
  }
}

export type RespValue = string | number | null | RespError | RespValue[];

export interface RespClient {
  /** Sends one command; commands on one client run strictly one after another. */
  command(args: (string | number)[]): Promise<RespValue>;
  close(): void;
}

const CRLF = new Uint8Array([13, 10]);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Connects to `redis://[user:password@]host:port[/db]`. */
export async function connectRedis(url: string): Promise<RespClient> {
  const parsed = new URL(url);
  if (parsed.protocol !== "redis:") {
    throw new Error(`Unsupported Redis URL scheme "${parsed.protocol}" (only redis:// is supported)`);
  }
  const conn = await Deno.connect({
    hostname: parsed.hostname || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 6379,
  });
  const client = createClient(conn);
  try {
    if (parsed.password) {
      const auth = parsed.username
        ? ["AUTH", decodeURIComponent(parsed.username), decodeURIComponent(parsed.password)]
        : ["AUTH", decodeURIComponent(parsed.password)];
      throwIfError(await client.command(auth));
    }
    const db = parsed.pathname.replace(/^\//, "");
    if (db !== "" && db !== "0") throwIfError(await client.command(["SELECT", db]));
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

function throwIfError(reply: RespValue): void {
  if (reply instanceof RespError) throw reply;
}

function createClient(conn: Deno.Conn): RespClient {
  const reader = createReader(conn);
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function roundTrip(args: (string | number)[]): Promise<RespValue> {
    if (closed) throw new Error("Redis connection is closed");
    try {
      await writeAll(conn, encodeCommand(args));
      return await readReply(reader);
    } catch (error) {
      // After an I/O or protocol failure the stream position is unknown, so
      // any further reply could belong to another command: give up on it.
      self.close();
      throw error;
    }
  }

  const self: RespClient = {
    command(args) {
      // Chaining on `tail` keeps exactly one command in flight, so replies can
      // never be matched to the wrong caller.
      const result = tail.then(() => roundTrip(args));
      tail = result.catch(() => {});
      return result;
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        conn.close();
      } catch {
        // Already closed by the peer.
      }
    },
  };
  return self;
}

function encodeCommand(args: (string | number)[]): Uint8Array {
  const parts: Uint8Array[] = [encoder.encode(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = encoder.encode(String(arg));
    // Lengths are byte counts, not UTF-16 code units.
    parts.push(encoder.encode(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.length) written += await conn.write(data.subarray(written));
}

interface Reader {
  line(): Promise<string>;
  bytes(n: number): Promise<Uint8Array>;
}

function createReader(conn: Deno.Conn): Reader {
  let buf = new Uint8Array(0);
  const chunk = new Uint8Array(64 * 1024);

  async function fill(): Promise<void> {
    const n = await conn.read(chunk);
    if (n === null) throw new Error("Redis connection closed unexpectedly");
    const next = new Uint8Array(buf.length + n);
    next.set(buf);
    next.set(chunk.subarray(0, n), buf.length);
    buf = next;
  }

  return {
    async line() {
      let searchFrom = 0;
      while (true) {
        for (let i = searchFrom; i + 1 < buf.length; i++) {
          if (buf[i] === 13 && buf[i + 1] === 10) {
            const text = decoder.decode(buf.subarray(0, i));
            buf = buf.subarray(i + 2);
            return text;
          }
        }
        searchFrom = Math.max(0, buf.length - 1);
        await fill();
      }
    },
    async bytes(n) {
      while (buf.length < n) await fill();
      const out = buf.slice(0, n);
      buf = buf.subarray(n);
      return out;
    },
  };
}

async function readReply(reader: Reader): Promise<RespValue> {
  const line = await reader.line();
  const type = line[0];
  const rest = line.slice(1);
  switch (type) {
    case "+":
      return rest;
    case "-":
      return new RespError(rest);
    case ":":
      return Number(rest);
    case "$": {
      const length = Number(rest);
      if (length < 0) return null;
      // Read the payload plus its trailing CRLF by byte count, so binary data
      // containing "\r\n" cannot confuse the parser.
      const data = await reader.bytes(length + 2);
      return decoder.decode(data.subarray(0, length));
    }
    case "*": {
      const count = Number(rest);
      if (count < 0) return null;
      const items: RespValue[] = [];
      for (let i = 0; i < count; i++) items.push(await readReply(reader));
      return items;
    }
    default:
      throw new Error(`Unexpected RESP reply: ${JSON.stringify(line)}`);
  }
}
