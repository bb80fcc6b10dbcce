/**
 * A TCP proxy in front of the test database that reads the PostgreSQL wire protocol going
 * through it: the type of every message the client sends, and how many requests each connection
 * has outstanding (a Sync or a simple Query sent, its ReadyForQuery not yet back). Tests use it to
 * see what shared/db.ts's client puts on the wire — what a transaction pooler such as Supavisor
 * would receive.
 *
 * @example
 * const proxy = startWireProxy(testEnv().DATABASE_URL);
 * const db = createDb(proxy.url, { max: 1, appName: "wire" });
 * await db.sql`select ${1}::int`; // proxy.sent: [..., "P", "D", "H", "B", "E", "S"]
 */
export type WireProxy = {
  /** The database URL, pointing at the proxy. */
  url: string;
  /** Message types the clients sent ("P" Parse, "D" Describe, "H" Flush, "B" Bind, "E" Execute, "S" Sync, "Q" Query…), in order. */
  sent: string[];
  /** The most requests one connection ever had outstanding at once. */
  maxOutstanding(): number;
  close(): Promise<void>;
};

export function startWireProxy(databaseUrl: string): WireProxy {
  const target = new URL(databaseUrl);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const sent: string[] = [];
  const sockets = new Set<Deno.Conn>();
  let maxOutstanding = 0;

  async function serve(client: Deno.Conn) {
    const server = await Deno.connect({ hostname: target.hostname, port: Number(target.port || 5432) });
    sockets.add(client).add(server);
    let outstanding = 0;
    const fromClient = messageReader(true, (type) => {
      if (type === "startup" || type === "S" || type === "Q") {
        maxOutstanding = Math.max(maxOutstanding, ++outstanding);
      }
      if (type !== "startup") sent.push(type);
    });
    const fromServer = messageReader(false, (type) => {
      if (type === "Z") outstanding--;
    });
    await Promise.allSettled([pipe(client, server, fromClient), pipe(server, client, fromServer)]);
    for (const socket of [client, server]) {
      sockets.delete(socket);
      try {
        socket.close();
      } catch { /* already closed */ }
    }
  }

  const accepting = (async () => {
    for await (const conn of listener) serve(conn);
  })().catch(() => {});

  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String((listener.addr as Deno.NetAddr).port);
  return {
    url: url.toString(),
    sent,
    maxOutstanding: () => maxOutstanding,
    async close() {
      listener.close();
      for (const socket of sockets) {
        try {
          socket.close();
        } catch { /* already closed */ }
      }
      await accepting;
    },
  };
}

async function pipe(from: Deno.Conn, to: Deno.Conn, observe: (chunk: Uint8Array) => void) {
  const buffer = new Uint8Array(64 * 1024);
  while (true) {
    const n = await from.read(buffer);
    if (n === null) break;
    const chunk = buffer.slice(0, n);
    observe(chunk);
    let written = 0;
    while (written < n) written += await to.write(chunk.subarray(written));
  }
  try {
    to.closeWrite();
  } catch { /* the other side went first */ }
}

/**
 * Splits a byte stream into messages: a type byte and an int32 length including itself; the
 * client's first message (startup) has no type byte.
 */
function messageReader(startsWithStartup: boolean, onMessage: (type: string) => void) {
  let pending = new Uint8Array(0);
  let startup = startsWithStartup;
  return (chunk: Uint8Array) => {
    const joined = new Uint8Array(pending.length + chunk.length);
    joined.set(pending);
    joined.set(chunk, pending.length);
    let at = 0;
    while (true) {
      const header = startup ? 4 : 5;
      if (joined.length - at < header) break;
      const view = new DataView(joined.buffer, joined.byteOffset + at);
      const size = startup ? view.getUint32(0) : 1 + view.getUint32(1);
      if (joined.length - at < size) break;
      onMessage(startup ? "startup" : String.fromCharCode(joined[at]));
      startup = false;
      at += size;
    }
    pending = joined.slice(at);
  };
}
