import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { client, loginUser, registerUser } from "./support.ts";

it("logging in removes the account's long-expired refresh tokens and emptied sessions, nothing live", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  await loginUser(http, email);
  const sql = testSql();
  // An old session whose only token expired ten days ago.
  const [old] = await sql`insert into public.auth_sessions (user_id) values (${id}) returning id`;
  await sql`insert into public.auth_refresh_tokens (session_id, user_id, token_hash, created_at, expires_at)
    values (${old.id}, ${id}, decode(repeat('ab', 32), 'hex'), now() - interval '40 days', now() - interval '10 days')`;

  await loginUser(http, email);

  const sessions = await sql`select id from public.auth_sessions where user_id = ${id}`;
  assert.ok(!sessions.some((s) => s.id === old.id), "the dead session is gone");
  assert.equal(sessions.length, 2, "both live sessions stay");
  const [{ expired }] = await sql`select count(*)::int as expired from public.auth_refresh_tokens
    where user_id = ${id} and expires_at < now()`;
  assert.equal(expired, 0);
});

it("asking for a new reset link removes the account's used or long-expired one-time tokens", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const sql = testSql();
  await sql`insert into public.auth_one_time_tokens (user_id, purpose, token_hash, created_at, expires_at, used_at)
    values (${id}, 'password_reset', decode(repeat('cd', 32), 'hex'), now() - interval '3 days',
            now() - interval '3 days' + interval '1 hour', now() - interval '2 days')`;
  const res = await http.json("POST", "/auth/forgot-password", { body: { email } });
  assert.equal(res.status, 200);
  const rows = await sql`select used_at from public.auth_one_time_tokens
    where user_id = ${id} and purpose = 'password_reset'`;
  assert.equal(rows.length, 1, "only the new token is left");
  assert.equal(rows[0].used_at, null);
});
