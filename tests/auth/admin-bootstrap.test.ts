import assert from "node:assert/strict";
import { ensureAdminAccount } from "../../functions/auth/admin-bootstrap.ts";
import { createPasswordHasher } from "../../functions/auth/passwords.ts";
import { SEED_STEPS } from "../../scripts/db/seed.ts";
import { ConfigError } from "../../shared/config.ts";
import { loadAdminBootstrap } from "../../shared/config-admin.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import { client, loginUser, uniqueEmail } from "./support.ts";

// Cheap hashes for accounts nobody logs into here; the seeded admin uses the real parameters.
const hasher = createPasswordHasher({ logN: 10, r: 8, p: 1 });
const admin = (email: string, password = "Otra-Admin-2026") => ({
  email,
  password,
  nombre: "Admin",
  apellido: "System",
});
const hashOf = async (email: string) =>
  (await testSql()`select c.password_hash from public.usuarios u join public.auth_credentials c on c.user_id = u.id
    where u.email = ${email}`)[0]?.password_hash;

it("the local stack's seeded admin (admin@example.com / Admin1234!) logs in as ADMIN with a verified e-mail", async () => {
  const http = await client();
  const { access_token } = await loginUser(http, "admin@example.com", "Admin1234!");
  const me = await http.json("GET", "/auth/me", { token: access_token });
  assert.equal(me.status, 200);
  assert.equal(me.body.rol, "ADMIN");
  assert.equal(me.body.es_admin, true);
  assert.equal(me.body.email_verificado, true);
});

it("ensuring the admin is idempotent and keeps a changed password unless a reset is asked for", async () => {
  const email = uniqueEmail("admin");
  assert.equal(await ensureAdminAccount(testSql(), admin(email), { hasher }), "created");
  const first = await hashOf(email);
  assert.equal(
    await ensureAdminAccount(testSql(), admin(email, "Distinta-Admin-2026"), { hasher }),
    "unchanged",
  );
  assert.equal(await hashOf(email), first);
  const [{ n }] = await testSql()`select count(*)::int as n from public.usuarios where email = ${email}`;
  assert.equal(n, 1);
  const reset = await ensureAdminAccount(testSql(), admin(email, "Distinta-Admin-2026"), {
    hasher,
    resetPassword: true,
  });
  assert.equal(reset, "password set");
  assert.notEqual(await hashOf(email), first);
  const [row] = await testSql()`select rol, is_active from public.usuarios where email = ${email}`;
  assert.deepEqual({ ...row }, { rol: "ADMIN", is_active: true });
});

it("the bootstrap never promotes an existing non-admin account, nor accepts a weak password", async () => {
  const cliente = await createAccount("CLIENTE");
  await assert.rejects(
    ensureAdminAccount(testSql(), admin(cliente.email), { hasher }),
    /refusing to promote/,
  );
  const [row] = await testSql()`select rol from public.usuarios where id = ${cliente.id}`;
  assert.equal(row.rol, "CLIENTE");
  const weak = uniqueEmail("admin");
  await assert.rejects(ensureAdminAccount(testSql(), admin(weak, "password1"), { hasher }), /ADMIN_PASSWORD/);
  assert.equal((await testSql()`select 1 from public.usuarios where email = ${weak}`).length, 0);
});

it("without ADMIN_EMAIL and ADMIN_PASSWORD the seed creates no admin (production must set them)", async () => {
  assert.equal(loadAdminBootstrap({}), null);
  assert.throws(() => loadAdminBootstrap({ ADMIN_EMAIL: "a@example.com" }), ConfigError);
  assert.throws(() => loadAdminBootstrap({ ADMIN_PASSWORD: "Admin1234!" }), ConfigError);
  assert.throws(() => loadAdminBootstrap({ ADMIN_EMAIL: "nope", ADMIN_PASSWORD: "Admin1234!" }), ConfigError);
  assert.deepEqual(loadAdminBootstrap({ ADMIN_EMAIL: " Boss@Example.com ", ADMIN_PASSWORD: "Admin1234!" }), {
    email: "boss@example.com",
    password: "Admin1234!",
    nombre: "Admin",
    apellido: "System",
  });
  const step = SEED_STEPS.find((s) => s.name.startsWith("admin account"))!;
  const { ADMIN_EMAIL: _e, ADMIN_PASSWORD: _p, ...withoutAdmin } = testEnv();
  const before = await testSql()`select count(*)::int as n from public.usuarios where rol = 'ADMIN'`;
  const logged: string[] = [];
  await step.run(testSql(), { root: "", env: withoutAdmin, log: (m) => logged.push(m) });
  const after = await testSql()`select count(*)::int as n from public.usuarios where rol = 'ADMIN'`;
  assert.equal(after[0].n, before[0].n);
  assert.match(logged.join("\n"), /ADMIN_EMAIL and ADMIN_PASSWORD are not set/);
});
