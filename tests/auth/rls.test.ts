import assert from "node:assert/strict";
import postgres from "postgres";
import type { AuthUser } from "../../shared/auth.ts";
import { createDb } from "../../shared/db.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";

const db = createDb(testEnv().DATABASE_URL, { max: 2, appName: "auth-rls-test" });
const FAKE_HASH = `$scrypt$ln=17,r=8,p=1$${"A".repeat(22)}$${"B".repeat(86)}`;

async function userWithAuthRows(): Promise<AuthUser> {
  const account = await createAccount("CLIENTE");
  const sql = testSql();
  await sql`insert into public.auth_credentials (user_id, password_hash) values (${account.id}, ${FAKE_HASH})`;
  const [session] = await sql`insert into public.auth_sessions (user_id) values (${account.id}) returning id`;
  const hash = () => crypto.getRandomValues(new Uint8Array(32));
  await sql`insert into public.auth_refresh_tokens (session_id, user_id, token_hash, expires_at)
    values (${session.id}, ${account.id}, ${hash()}, now() + interval '1 day')`;
  await sql`insert into public.auth_one_time_tokens (user_id, purpose, token_hash, expires_at)
    values (${account.id}, 'password_reset', ${hash()}, now() + interval '1 hour')`;
  return { id: account.id, rol: "CLIENTE", email: account.email, sessionId: session.id, issuedAt: 0 };
}

async function deniedAs(user: AuthUser | null, query: string) {
  const run = (tx: postgres.TransactionSql) => tx.unsafe(query);
  await assert.rejects(
    user ? db.asUser(user, run) : db.asAnon(run),
    (e) => e instanceof postgres.PostgresError && e.code === "42501",
    `${user ? "authenticated" : "anon"} must be denied: ${query}`,
  );
}

it("a signed-in user sees only their own rows in auth's tables", async () => {
  const a = await userWithAuthRows();
  const b = await userWithAuthRows();
  const queries = {
    credentials: "select user_id from public.auth_credentials",
    sessions: "select user_id from public.auth_sessions",
    refresh: "select user_id from public.auth_refresh_tokens",
    oneTime: "select user_id from public.auth_one_time_tokens",
  };
  for (const [table, query] of Object.entries(queries)) {
    const rows = await db.asUser(a, (tx) => tx.unsafe(query));
    assert.deepEqual(rows.map((r) => r.user_id), [a.id], table);
    const other = await db.asUser(b, (tx) => tx.unsafe(`${query} where user_id = '${a.id}'`));
    assert.equal(other.length, 0, `${table}: B cannot see A's rows`);
  }
  const [own] = await db.asUser(
    a,
    (tx) => tx`select email_verificado_at, password_changed_at from public.auth_credentials`,
  );
  assert.ok(own.password_changed_at instanceof Date);
});

it("password_hash and token hashes are never selectable by authenticated, not even one's own", async () => {
  const a = await userWithAuthRows();
  await deniedAs(a, "select password_hash from public.auth_credentials");
  await deniedAs(a, "select * from public.auth_credentials");
  await deniedAs(a, "select token_hash from public.auth_refresh_tokens");
  await deniedAs(a, "select token_hash from public.auth_one_time_tokens");
});

it("anon reads nothing of auth's tables, and API roles cannot write them", async () => {
  const a = await userWithAuthRows();
  for (const table of ["auth_credentials", "auth_sessions", "auth_refresh_tokens", "auth_one_time_tokens"]) {
    await deniedAs(null, `select user_id from public.${table}`);
    await deniedAs(a, `delete from public.${table} where user_id = '${a.id}'`);
  }
  await deniedAs(
    a,
    `update public.auth_credentials set email_verificado_at = now() where user_id = '${a.id}'`,
  );
  await deniedAs(a, `update public.auth_sessions set revoked_at = null where user_id = '${a.id}'`);
  await deniedAs(
    a,
    `insert into public.auth_credentials (user_id, password_hash) values ('${a.id}', '${FAKE_HASH}')`,
  );
});
