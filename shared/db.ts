import postgres from "postgres";
import type { AuthUser } from "./auth.ts";

/**
 * One postgres.js client per function, created at boot. `prepare: false` because Supabase's
 * transaction pooler (Supavisor, port 6543) cannot keep prepared statements across transactions.
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

export function createDb(url: string, options: { max: number; appName: string }): Db {
  const sql = postgres(url, {
    prepare: false,
    max: options.max,
    idle_timeout: 20,
    connect_timeout: 10,
    connection: { application_name: options.appName },
    onnotice: () => {},
  });

  function scoped<T>(
    role: "authenticated" | "anon",
    claims: Record<string, unknown>,
    fn: (tx: Tx) => Promise<T>,
  ) {
    return sql.begin(async (tx) => {
      // One statement: PostgREST's way of entering a role with claims, local to this transaction.
      await tx`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${
        JSON.stringify(claims)
      }, true)`;
      return await fn(tx);
    }) as Promise<T>;
  }

  return {
    sql,
    asUser: (user, fn) => scoped("authenticated", jwtClaimsOf(user), fn),
    asAnon: (fn) => scoped("anon", { role: "anon" }, fn),
    asService: (fn) => sql.begin(fn) as Promise<never>,
    async ping() {
      await sql`select 1`;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** The claims RLS policies read through `auth.uid()` / `auth.jwt()`. */
export function jwtClaimsOf(user: AuthUser): Record<string, unknown> {
  return { sub: user.id, role: "authenticated", rol: user.rol, email: user.email };
}
