import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";
import { createSessionRegistry } from "../../shared/sessions.ts";
import { testSql } from "../support/accounts.ts";
import { it, testConfig } from "../support/env.ts";
import { client, expectRefused, loginUser, PASSWORD, registerUser } from "./support.ts";

/**
 * A ban or role change that has written its "valid after" mark but not yet committed, as the
 * users service's are (users/user-status.ts: row locked, row changed, mark set, then COMMIT).
 * `whenSomeoneWaits` resolves once another backend is blocked behind it, or `request` answered
 * first: the request under test has read the account by then, so what it answers shows whether
 * it read the row too early.
 */
async function heldAccountChange(userId: string, change: "ban" | "make_professional" | "password") {
  const sql = testSql();
  let commit!: () => void;
  const committed = new Promise<void>((resolve) => commit = resolve);
  let started!: (pid: number) => void;
  const pid = new Promise<number>((resolve) => started = resolve);
  const done = sql.begin(async (tx) => {
    const [{ pg_backend_pid }] = await tx`select pg_backend_pid()`;
    if (change === "password") {
      // What a password change or reset does first (auth/password-change.ts).
      await tx`update public.auth_credentials set password_changed_at = now()
        where user_id = ${userId}`;
    } else {
      await tx`select 1 from public.usuarios where id = ${userId} for update`;
      await (change === "ban"
        ? tx`update public.usuarios set is_active = false where id = ${userId}`
        : tx`update public.usuarios set rol = 'PROFESIONAL' where id = ${userId}`);
    }
    const config = testConfig();
    const redis = new Redis({ url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN });
    await createSessionRegistry(redis).endAll(userId);
    started(pg_backend_pid);
    await committed;
  });
  // A failure inside the transaction surfaces here instead of leaving `pid` pending.
  const holder = await Promise.race([pid, done.then(() => -1)]);
  return {
    async whenSomeoneWaits(request: Promise<unknown>) {
      let answered = false;
      request.finally(() => answered = true);
      for (let i = 0; i < 200 && !answered; i++) {
        const [row] = await sql<{ waiting: boolean }[]>`select exists (
          select 1 from pg_stat_activity where ${holder}::int = any(pg_blocking_pids(pid))) as waiting`;
        if (row.waiting) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      if (!answered) throw new Error("nothing waited for the held change");
    },
    async commit() {
      commit();
      await done;
    },
  };
}

const claims = (token: string) => JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));

it("a login that reads the account while a ban commits is refused, not given a token the ban missed", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const ban = await heldAccountChange(id, "ban");
  const login = http.form("/auth/login", { username: email, password: PASSWORD });
  await ban.whenSomeoneWaits(login);
  await ban.commit();
  const res = await login;
  if (res.status === 200) await expectRefused(http, res.body.access_token, "token minted across a ban");
  else {
    assert.equal(res.status, 401);
    assert.match(res.body.detail, /desactivada/);
  }
  const [{ live }] = await testSql()`select count(*)::int as live from public.auth_sessions
    where user_id = ${id} and revoked_at is null`;
  assert.equal(live, 0, "no session opened for the banned account");
});

it("a refresh that reads the account while its role changes mints the new role, not a stale token", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const tokens = await loginUser(http, email);
  const change = await heldAccountChange(id, "make_professional");
  const refresh = http.json("POST", "/auth/refresh", { body: { refresh_token: tokens.refresh_token } });
  await change.whenSomeoneWaits(refresh);
  await change.commit();
  const res = await refresh;
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(claims(res.body.access_token).rol, "PROFESIONAL");
  assert.equal(
    (await http.json("GET", "/auth/me", { token: res.body.access_token })).body.rol,
    "PROFESIONAL",
  );
});

it("a refresh that reads the account while a ban commits is refused and ends its session", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const tokens = await loginUser(http, email);
  const ban = await heldAccountChange(id, "ban");
  const refresh = http.json("POST", "/auth/refresh", { body: { refresh_token: tokens.refresh_token } });
  await ban.whenSomeoneWaits(refresh);
  await ban.commit();
  const res = await refresh;
  assert.equal(res.status, 401);
  assert.match(res.body.detail, /desactivada/);
  const again = await http.json("POST", "/auth/refresh", { body: { refresh_token: tokens.refresh_token } });
  assert.equal(again.status, 401);
  const [{ live }] = await testSql()`select count(*)::int as live from public.auth_sessions
    where user_id = ${id} and revoked_at is null`;
  assert.equal(live, 0);
});

it("a login checked against a password that is being changed is refused once the change commits", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const change = await heldAccountChange(id, "password");
  const login = http.form("/auth/login", { username: email, password: PASSWORD });
  await change.whenSomeoneWaits(login);
  await change.commit();
  const res = await login;
  if (res.status === 200) await expectRefused(http, res.body.access_token, "token of the old password");
  else assert.equal(res.status, 401);
  const [{ live }] = await testSql()`select count(*)::int as live from public.auth_sessions
    where user_id = ${id} and revoked_at is null`;
  assert.equal(live, 0, "no session opened with the old password");
});
