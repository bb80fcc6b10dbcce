import assert from "node:assert/strict";
import type postgres from "postgres";
import { createAccount, type TestAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";

/**
 * The RLS helpers in the `private` schema (migrations/20261201000100_platform_rls_helpers.sql),
 * asked as each API role, and guards that keep policies calling them instead of inlining the
 * predicates again.
 */

/** Runs `fn` the way PostgREST and `asUser`/`asAnon` do: role and JWT claims local to a transaction. */
function as<T>(account: TestAccount | "anon", fn: (tx: postgres.TransactionSql) => Promise<T>) {
  const role = account === "anon" ? "anon" : "authenticated";
  const claims = account === "anon"
    ? { role }
    : { sub: account.id, role, rol: account.rol, email: account.email };
  return testSql().begin(async (tx) => {
    await tx`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${
      JSON.stringify(claims)
    }, true)`;
    return await fn(tx);
  });
}

/** Every policy's expressions, as Postgres stores them (deparsed). */
async function policies() {
  const rows = await testSql()`select schemaname, tablename, policyname, qual, with_check from pg_policies`;
  return rows.map((r) => ({
    name: `${r.schemaname}.${r.tablename}: "${r.policyname}"`,
    policy: r.policyname as string,
    text: `${r.qual ?? ""} ${r.with_check ?? ""}`,
  }));
}

it("private.is_admin() and private.current_professional_id() answer for each kind of signed-in caller", async () => {
  const [admin, owner, other, client] = await Promise.all([
    createAccount("ADMIN"),
    createAccount("PROFESIONAL"),
    createAccount("PROFESIONAL"),
    createAccount("CLIENTE"),
  ]);
  const ask = (account: TestAccount) =>
    as(account, async (tx) => {
      const [row] = await tx`select private.is_admin() as admin,
        private.current_professional_id() as profesional_id,
        private.current_professional_id() is not distinct from ${owner.profesionalId!}::uuid as owns`;
      return { ...row };
    });

  assert.deepEqual(await ask(admin), { admin: true, profesional_id: null, owns: false });
  assert.deepEqual(await ask(owner), { admin: false, profesional_id: owner.profesionalId, owns: true });
  assert.deepEqual(await ask(other), { admin: false, profesional_id: other.profesionalId, owns: false });
  assert.deepEqual(await ask(client), { admin: false, profesional_id: null, owns: false });
});

it("the helpers read the request's claims even though they run as their owner (security definer)", async () => {
  const pro = await createAccount("PROFESIONAL");
  const [row] = await as(
    pro,
    (tx) =>
      tx`select current_user as role, private.current_professional_id() as profesional_id,
      (select count(*)::int from public.profesionales) as visible`,
  );
  // The caller stays `authenticated` (RLS shows one profile); the helper found that profile.
  assert.deepEqual({ ...row }, { role: "authenticated", profesional_id: pro.profesionalId, visible: 1 });

  const [unclaimed] = await testSql().begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', '', true)`;
    return await tx`select private.is_admin() as admin, private.current_professional_id() as profesional_id`;
  });
  assert.deepEqual({ ...unclaimed }, { admin: false, profesional_id: null });
});

it("anon cannot use the private schema, yet still reads public rows guarded by policies that call it", async () => {
  await assert.rejects(
    as("anon", (tx) => tx`select private.is_admin()`),
    /permission denied for schema private/,
  );
  await assert.rejects(
    as("anon", (tx) => tx`select private.current_professional_id()`),
    /permission denied for schema private/,
  );
  const [grants] = await testSql()`select
    has_schema_privilege('anon', 'private', 'usage') as anon_usage,
    has_schema_privilege('public', 'private', 'usage') as public_usage,
    has_schema_privilege('authenticated', 'private', 'usage') as authenticated_usage,
    has_function_privilege('anon', 'private.is_admin()', 'execute') as anon_is_admin,
    has_function_privilege('public', 'private.is_admin()', 'execute') as public_is_admin,
    has_function_privilege('anon', 'private.current_professional_id()', 'execute') as anon_pro,
    has_function_privilege('public', 'private.current_professional_id()', 'execute') as public_pro`;
  assert.deepEqual({ ...grants }, {
    anon_usage: false,
    public_usage: false,
    authenticated_usage: true,
    anon_is_admin: false,
    public_is_admin: false,
    anon_pro: false,
    public_pro: false,
  });
  // The admin policies on these tables are `to authenticated`, so anon never evaluates them.
  const [{ n }] = await as("anon", (tx) => tx`select count(*)::int as n from public.oficios where activo`);
  assert.ok(n >= 10);
  await as("anon", (tx) => tx`select count(*) from public.portfolio_items`);
});

it("the API does not expose the private schema", async () => {
  const root = new URL("../..", import.meta.url);
  const config = await Deno.readTextFile(new URL("supabase/config.toml", root));
  const schemas = /^\s*schemas\s*=\s*\[([^\]]*)\]/m.exec(config)?.[1] ?? "";
  assert.ok(schemas.includes('"public"'), "config.toml lists the exposed schemas");
  assert.ok(!schemas.includes("private"), `exposed schemas: ${schemas}`);
});

it("every helper function in the private schema is stable, security definer, with an empty search_path", async () => {
  // Trigger functions (e.g. the ledger's balance check) live there too, out of the API's reach,
  // but are not policy helpers: they run as the writer and may not be stable.
  const rows = await testSql()`select p.proname as name, p.prosecdef as definer, p.provolatile as volatility,
      p.proconfig as config
    from pg_proc p where p.pronamespace = 'private'::regnamespace and p.prorettype <> 'trigger'::regtype
    order by p.proname`;
  const names = rows.map((r) => r.name);
  for (const helper of ["current_professional_id", "is_admin"]) assert.ok(names.includes(helper), helper);
  for (const r of rows) {
    assert.equal(r.definer, true, `${r.name} is security definer`);
    assert.ok(["s", "i"].includes(r.volatility), `${r.name} is stable`);
    assert.deepEqual(r.config, ['search_path=""'], `${r.name} pins search_path to ''`);
  }
});

it("no policy inlines the admin or own-professional predicates: they call the private helpers", async () => {
  const all = await policies();
  assert.ok(all.length > 0);
  const inlined = [
    // The rol claim or the usuarios.rol column, compared with ADMIN or anything else.
    [/\brol\b/i, "checks a role (use private.is_admin())"],
    [/'ADMIN'/, "compares with ADMIN (use private.is_admin())"],
    [/\bprofesionales\b/i, "looks the caller's profile up (use private.current_professional_id())"],
  ] as const;
  const offenders = all.flatMap((p) =>
    inlined.filter(([pattern]) => pattern.test(p.text)).map(([, why]) => `${p.name} ${why}`)
  );
  assert.deepEqual(offenders, []);

  const admins = all.filter((p) => p.policy.startsWith("Admins can "));
  assert.ok(admins.length >= 11, `admin policies: ${admins.length}`);
  for (const p of admins) assert.match(p.text, /private\.is_admin\(\)/, p.name);
  const own = all.filter((p) => p.text.includes("private.current_professional_id()"));
  assert.ok(own.length >= 17, `own-professional policies: ${own.length}`);
});

it("policies call the helpers as (select private.…()) so Postgres evaluates them once per statement", async () => {
  for (const p of await policies()) {
    const calls = p.text.match(/private\.\w+\(/g) ?? [];
    const wrapped = p.text.match(/\(\s*SELECT private\.\w+\(\) AS \w+\)/g) ?? [];
    assert.equal(wrapped.length, calls.length, `${p.name}: ${p.text}`);
  }
  const pro = await createAccount("PROFESIONAL");
  const plan = await as(pro, (tx) => tx`explain (costs off, verbose) select id from public.kyc_documentos`);
  const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
  assert.match(text, /InitPlan/, text);
  // Each helper is its own InitPlan (run once), and the row filter only compares with its result.
  assert.match(text, /InitPlan[^\n]*\n\s*->\s*Result\n\s*Output: private\.current_professional_id\(\)/, text);
  assert.match(text, /InitPlan[^\n]*\n\s*->\s*Result\n\s*Output: private\.is_admin\(\)/, text);
});

it("portfolio images: the owner adds and deletes images of their own items only (helper-based policies)", async () => {
  const [owner, other] = await Promise.all([createAccount("PROFESIONAL"), createAccount("PROFESIONAL")]);
  const [mine] = await testSql()`insert into public.portfolio_items (profesional_id, titulo)
    values (${owner.profesionalId!}, 'Mío') returning id`;
  const [theirs] = await testSql()`insert into public.portfolio_items (profesional_id, titulo)
    values (${other.profesionalId!}, 'Ajeno') returning id`;
  const [theirImage] =
    await testSql()`insert into public.portfolio_imagenes (portfolio_item_id, imagen_url, orden)
    values (${theirs.id}, 'https://x/ajeno.jpg', 0) returning id`;

  const [added] = await as(
    owner,
    (tx) =>
      tx`insert into public.portfolio_imagenes (portfolio_item_id, imagen_url, orden)
      values (${mine.id}, 'https://x/mio.jpg', 0) returning id`,
  );
  await assert.rejects(
    as(owner, (tx) =>
      tx`insert into public.portfolio_imagenes (portfolio_item_id, imagen_url, orden)
        values (${theirs.id}, 'https://x/intruso.jpg', 1)`),
    /row-level security/,
  );
  const deletedTheirs = await as(
    owner,
    (tx) => tx`delete from public.portfolio_imagenes where id = ${theirImage.id} returning id`,
  );
  assert.equal(deletedTheirs.length, 0);
  const deletedMine = await as(
    owner,
    (tx) => tx`delete from public.portfolio_imagenes where id = ${added.id} returning id`,
  );
  assert.equal(deletedMine.length, 1);
});
