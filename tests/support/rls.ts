import assert from "node:assert/strict";
import postgres from "postgres";
import type { AuthUser, Rol } from "../../shared/auth.ts";
import { createDb, type Db, type Tx } from "../../shared/db.ts";
import { createAccount, type TestAccount } from "./accounts.ts";
import { testEnv } from "./env.ts";

/**
 * What the RLS tests (tests/<area>/rls.test.ts) share: a pool that runs queries as a database
 * role through shared/db.ts (as the functions do), the auth user of a test account, the SQLSTATE
 * a refused statement fails with, and the people a policy tells apart.
 */

/** A small pool for `asUser` / `asAnon` queries, named after the test in pg_stat_activity. */
export function rlsDb(appName: string): Db {
  return createDb(testEnv().DATABASE_URL, { max: 2, appName });
}

/** The signed-in user `asUser` sets the JWT claims from, for a test account. */
export function asAuth(account: TestAccount): AuthUser {
  return { id: account.id, rol: account.rol as Rol, email: account.email, sessionId: null, issuedAt: 0 };
}

/** The SQLSTATE the statement failed with (e.g. "42501" for a refused one); undefined when it succeeded. */
export async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof postgres.PostgresError) return error.code;
    throw error;
  }
  return undefined;
}

/** The two parties of a deal, a client with no part in it and an admin: fresh accounts. */
export async function fourPeople(): Promise<
  { client: TestAccount; pro: TestAccount; stranger: TestAccount; admin: TestAccount }
> {
  const [client, pro, stranger, admin] = await Promise.all([
    createAccount("CLIENTE"),
    createAccount("PROFESIONAL"),
    createAccount("CLIENTE"),
    createAccount("ADMIN"),
  ]);
  return { client, pro, stranger, admin };
}

/** How many rows `query` returns when `account` runs it (under RLS), on `db`. */
export function rowCounter(
  db: Db,
): (account: TestAccount, query: (tx: Tx) => Promise<unknown[]>) => Promise<number> {
  return (account, query) => db.asUser(asAuth(account), query).then((rows) => rows.length);
}

/**
 * For each table, its query returns exactly one row to the deal's client, its professional and an
 * admin, none to the stranger, and anon may not read the table at all (42501).
 */
export async function assertOnlyPartiesRead(
  db: Db,
  people: { client: TestAccount; pro: TestAccount; stranger: TestAccount; admin: TestAccount },
  queries: Record<string, (tx: Tx) => Promise<unknown[]>>,
): Promise<void> {
  const count = rowCounter(db);
  for (const [table, q] of Object.entries(queries)) {
    assert.equal(await count(people.client, q), 1, `${table}: client`);
    assert.equal(await count(people.pro, q), 1, `${table}: pro`);
    assert.equal(await count(people.admin, q), 1, `${table}: admin`);
    assert.equal(await count(people.stranger, q), 0, `${table}: stranger`);
    assert.equal(
      await sqlState(db.asAnon((tx) => tx`select id from ${tx(table)}`)),
      "42501",
      `${table}: anon`,
    );
  }
}
