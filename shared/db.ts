import postgres from "postgres";
import type { AuthUser } from "./auth-user.ts";

/**
 * One postgres.js client per function, created at boot, shaped for Supabase's transaction pooler
 * (Supavisor, port 6543), which hands a backend to another client at each ReadyForQuery:
 * - `prepare: false`: it keeps no prepared statements across transactions. The vendored
 *   postgres.js remembers each statement's parameter types instead, so a statement it has run
 *   before is one round trip, not two (vendor/postgres/README.md);
 * - `max_pipeline: 0`: outside a transaction, one request at a time per connection. The pooler
 *   drops replies pipelined behind another query's (supabase/supavisor#1061,
 *   porsager/postgres#970): queries wait for a free connection instead. Inside a transaction (the
 *   pooler keeps its backend until it ends) statements still pipeline, up to its COMMIT.
 *   tests/platform/postgres-wire.test.ts reads all this off the wire.
 *
 * Two handles named by privilege:
 * - `asUser(user, tx => ...)`: role `authenticated` + the user's JWT claims, so RLS applies;
 * - `asService(tx => ...)`: the connection's own role (RLS bypassed) for webhooks, admin jobs and
 *   event handlers — every query in it must filter by owner explicitly.
 *
 * @example
 * const row = await db.asUser(user, (tx) => tx`select * from usuarios where id = ${user.id}`);
 */
export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
export type Db = {
  readonly sql: Sql;
  asUser<T>(user: AuthUser, fn: (tx: Tx) => Promise<T>): Promise<T>;
  asAnon<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  asService<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
};

export type DbOptions = {
  max: number;
  appName: string;
  /**
   * Called after a transaction that emitted events (`emitEvent`) commits, with their ids; the
   * platform hands them to the relay. Must not throw; its result is not awaited.
   */
  onEventsCommitted?: (eventIds: string[]) => void;
};

export function createDb(url: string, options: DbOptions): Db {
  const sql = postgres(url, {
    prepare: false,
    max_pipeline: 0,
    max: options.max,
    idle_timeout: 20,
    connect_timeout: 10,
    // Seconds before a connection that failed is tried again. The default grows to 20 s while the
    // database is down, which then delays recovery by as much; jittered, at most half a second.
    backoff: (attempts: number) => Math.min(0.05 * 2 ** attempts, 0.5) * (0.5 + Math.random() / 2),
    connection: { application_name: options.appName },
    onnotice: () => {},
  });

  /** A transaction; the events it emitted go to `onEventsCommitted` once it has committed. */
  async function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const emitted: string[] = [];
    const result = await sql.begin(async (tx) => {
      (tx as EventCarrier)[EMITTED] = emitted;
      return await fn(tx);
    }) as T;
    if (emitted.length && options.onEventsCommitted) {
      try {
        options.onEventsCommitted(emitted);
      } catch { /* the relay's sweep publishes them */ }
    }
    return result;
  }

  function scoped<T>(
    role: "authenticated" | "anon",
    claims: Record<string, unknown>,
    fn: (tx: Tx) => Promise<T>,
  ) {
    return transaction(async (tx) => {
      // One statement: PostgREST's way of entering a role with claims, local to this transaction.
      // Not awaited before `fn`: its first statement goes out right behind it (the connection
      // keeps their order), one round trip fewer per request.
      const entered = tx`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${
        JSON.stringify(claims)
      }, true)`.execute();
      const [, result] = await Promise.all([entered, fn(tx)]);
      return result;
    });
  }

  return {
    sql,
    asUser: (user, fn) => scoped("authenticated", jwtClaimsOf(user), fn),
    asAnon: (fn) => scoped("anon", { role: "anon" }, fn),
    asService: (fn) => transaction(fn),
    async ping() {
      await sql`select 1`;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/**
 * True when the database could not be reached or ended the session (a restart, a failover, the
 * pooler dropping connections): the request may succeed if retried, so it is a 503, not a 500.
 * Node socket codes, postgres.js's own connection codes, and SQLSTATE classes 08 (connection
 * exception) and 57P01–57P03 (shutdown, crash, still starting), 53300 (too many connections).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  if (error instanceof postgres.PostgresError) return /^(08...|57P0[123]|53300)$/.test(code);
  return CONNECTION_FAILURES.has(code);
}

const CONNECTION_FAILURES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

const EMITTED = Symbol("emitted event ids");
type EventCarrier = { [EMITTED]?: string[] };

/**
 * Records outbox rows written in `tx` so that, once it commits, the relay publishes them at once
 * (instead of at the next sweep). The ids travel on the transaction object itself: nothing is
 * shared between transactions. A savepoint's handle carries none; the sweep publishes those.
 *
 * @example
 * const [row] = await tx`insert into public.outbox (…) values (…) returning id`;
 * recordEmittedEvents(tx, [row.id]);
 */
export function recordEmittedEvents(tx: Tx, eventIds: string[]): void {
  (tx as EventCarrier)[EMITTED]?.push(...eventIds);
}

/** The claims RLS policies read through `auth.uid()` / `auth.jwt()`. */
export function jwtClaimsOf(user: AuthUser): Record<string, unknown> {
  return { sub: user.id, role: "authenticated", rol: user.rol, email: user.email };
}
