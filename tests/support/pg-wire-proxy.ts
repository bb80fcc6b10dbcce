/**
 * A TCP proxy in front of the test database that reads the PostgreSQL wire protocol going
 * through it: the type of every message the client sends, and, per connection, the requests in
 * flight (a Sync or a simple Query sent, its ReadyForQuery not yet back) with the transaction
 * status the server last reported. Tests use it to see what shared/db.ts's client puts on the
 * wire — what a transaction pooler such as Supavisor would receive. Such a pooler gives the
 * backend to another client at a ReadyForQuery that says "idle": a request sent while one is in
 * flight outside a transaction, or behind a COMMIT, may reach another client's backend or lose
 * its answer (`unsafe`).
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
  /** The most requests one connection ever had in flight at once. */
  maxOutstanding(): number;
  /** Requests sent while another was in flight outside a transaction, or behind one that ends it. */
  unsafe(): number;
  close(): Promise<void>;
};

const ENDS_TRANSACTION = /^\s*(commit|end|rollback(?!\s+to\b)|abort|prepare\s+transaction)\b/i;

export function startWireProxy(databaseUrl: string): WireProxy {
  const target = new URL(databaseUrl);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const sent: string[] = [];
  const sockets = new Set<Deno.Conn>();
  let maxOutstanding = 0;
  let unsafe = 0;

  async function serve(client: Deno.Conn) {
    const server = await Deno.connect({ hostname: target.hostname, port: Number(target.port || 5432) });
    sockets.add(client).add(server);
    // Per request in flight: whether it ends the transaction. The startup exchange counts as one.
    const inFlight: boolean[] = [];
    let status = "I";
    let endsTransaction = false;
    const request = () => {
      if (inFlight.length && (status === "I" || inFlight.some((ends) => ends))) unsafe++;
      inFlight.push(endsTransaction);
      endsTransaction = false;
      maxOutstanding = Math.max(maxOutstanding, inFlight.length);
    };
    const fromClient = messageReader(true, (type, body) => {
      if (type === "startup") return request();
      sent.push(type);
      if (type === "Q" || type === "P") endsTransaction ||= ENDS_TRANSACTION.test(statementText(type, body));
      if (type === "S" || type === "Q") request();
    });
    const fromServer = messageReader(false, (type, body) => {
      if (type !== "Z") return;
      inFlight.shift();
      status = String.fromCharCode(body[0]);
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
    unsafe: () => unsafe,
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

/** The SQL of a simple Query (its whole body) or of a Parse (after the statement's name). */
function statementText(type: string, body: Uint8Array): string {
  const strings = new TextDecoder().decode(body).split("\0");
  return type === "Q" ? strings[0] : strings[1] ?? "";
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
 * Splits a byte stream into messages: a type byte and an int32 length including itself, then the
 * body; the client's first message (startup) has no type byte.
 */
function messageReader(startsWithStartup: boolean, onMessage: (type: string, body: Uint8Array) => void) {
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
      onMessage(
        startup ? "startup" : String.fromCharCode(joined[at]),
        joined.subarray(at + header, at + size),
      );
      startup = false;
      at += size;
    }
    pending = joined.slice(at);
  };
}
