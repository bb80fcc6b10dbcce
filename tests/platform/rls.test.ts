import assert from "node:assert/strict";
import { createDb } from "../../shared/db.ts";
import { testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";

const db = createDb(testEnv().DATABASE_URL, { max: 2, appName: "rls-test" });
const userA = {
  id: crypto.randomUUID(),
  rol: "CLIENTE" as const,
  email: "a@example.com",
  sessionId: null,
  issuedAt: 0,
};
const userB = {
  id: crypto.randomUUID(),
  rol: "CLIENTE" as const,
  email: "b@example.com",
  sessionId: null,
  issuedAt: 0,
};

/** Schemas that hold our tables (Supabase's own schemas and PostGIS's are not ours). */
const OUR_SCHEMAS = ["public"];

it("every table in our schemas has row level security enabled", async () => {
  const rows = await testSql()`
    select n.nspname as schema, c.relname as table, c.relrowsecurity as rls
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname = any(${OUR_SCHEMAS})
      and c.relname <> 'spatial_ref_sys'`;
  assert.ok(rows.length > 0);
  const without = rows.filter((r) => !r.rls).map((r) => `${r.schema}.${r.table}`);
  assert.deepEqual(without, [], `tables without RLS: ${without.join(", ")}`);
});

it("asUser applies RLS with the user's claims: user A cannot see user B's rows", async () => {
  // A probe table with the same policy shape our tables use.
  await testSql().unsafe(`
    create table if not exists public.rls_probe (owner uuid not null, note text not null, public boolean not null default false);
    alter table public.rls_probe enable row level security;
    drop policy if exists "Owners can view their notes" on public.rls_probe;
    create policy "Owners can view their notes" on public.rls_probe for select to authenticated
      using (owner = (select auth.uid()));
    drop policy if exists "Public notes are viewable by everyone" on public.rls_probe;
    create policy "Public notes are viewable by everyone" on public.rls_probe for select to anon, authenticated
      using (public);
    grant select on public.rls_probe to anon, authenticated;`);
  await testSql()`insert into public.rls_probe (owner, note, public) values
    (${userA.id}, 'a-private', false), (${userB.id}, 'b-private', false), (${userB.id}, 'b-public', true)`;

  const seenByA = await db.asUser(userA, (tx) => tx`select note from public.rls_probe order by note`);
  assert.deepEqual(seenByA.map((r) => r.note), ["a-private", "b-public"]);
  const seenByB = await db.asUser(userB, (tx) => tx`select note from public.rls_probe order by note`);
  assert.deepEqual(seenByB.map((r) => r.note), ["b-private", "b-public"]);
  const seenByAnon = await db.asAnon((tx) => tx`select note from public.rls_probe order by note`);
  assert.deepEqual(seenByAnon.map((r) => r.note), ["b-public"]);
});

it("asUser exposes the claims to auth.uid() and auth.jwt() and runs as role authenticated", async () => {
  const [row] = await db.asUser(
    userA,
    (tx) => tx`select auth.uid() as uid, auth.jwt() ->> 'rol' as rol, current_user as role`,
  );
  assert.deepEqual({ ...row }, { uid: userA.id, rol: "CLIENTE", role: "authenticated" });
});

it("the role and claims do not leak to the next transaction on the same connection", async () => {
  await db.asUser(userA, (tx) => tx`select 1`);
  const [row] = await db.asService((tx) =>
    tx`select current_user as role, nullif(current_setting('request.jwt.claims', true), '') as claims`
  );
  assert.notEqual(row.role, "authenticated");
  assert.equal(row.claims, null);
});

it("anon sees only active trades; an admin through asUser sees inactive ones too", async () => {
  const name = `Oficio inactivo ${crypto.randomUUID().slice(0, 8)}`;
  await testSql()`insert into public.oficios (nombre, descripcion, activo) values (${name}, 'x', false)`;
  const anon = await db.asAnon((tx) => tx`select nombre from public.oficios where nombre = ${name}`);
  assert.equal(anon.length, 0);
  const admin = { ...userA, rol: "ADMIN" as const };
  const seen = await db.asUser(admin, (tx) => tx`select nombre from public.oficios where nombre = ${name}`);
  assert.equal(seen.length, 1);
  const active = await db.asAnon((tx) => tx`select count(*)::int as n from public.oficios where activo`);
  assert.ok(active[0].n >= 10);
});

it("API roles cannot read or write the dead-letter redrive's tables", async () => {
  await assert.rejects(db.asUser(userA, (tx) => tx`select * from public.dead_letters`), /permission denied/);
  await assert.rejects(
    db.asAnon((tx) => tx`insert into public.dead_letter_runs (scope, last_run_at) values ('x', now())`),
    /permission denied/,
  );
});

it("API roles cannot read or write the outbox and inbox", async () => {
  await assert.rejects(db.asUser(userA, (tx) => tx`select * from public.outbox`), /permission denied/);
  await assert.rejects(
    db.asAnon((tx) =>
      tx`insert into public.inbox (consumer, event_id, event_type)
    values ('x', gen_random_uuid(), 'a.b')`
    ),
    /permission denied/,
  );
});
