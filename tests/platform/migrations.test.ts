import assert from "node:assert/strict";
import postgres from "postgres";
import { listMigrations, migrate } from "../../scripts/db/migrate.ts";
import { seedDatabase } from "../../scripts/db/seed.ts";
import { testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";

const root = testEnv().TEST_ROOT ?? new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

it("every migration is recorded where the Supabase CLI looks, in order", async () => {
  const files = await listMigrations(`${root}/migrations`);
  const rows =
    await testSql()`select version, name from supabase_migrations.schema_migrations order by version`;
  assert.deepEqual(rows.map((r) => r.version), files.map((f) => f.version));
  assert.deepEqual(rows.map((r) => r.name), files.map((f) => f.name));
});

it("migration file names follow <14-digit version>_<service>_<concern>.sql with known services", async () => {
  const services = [
    "platform",
    "auth",
    "users",
    "professionals",
    "chat-offers",
    "chat_offers",
    "payments",
    "notifications",
  ];
  for (const file of await listMigrations(`${root}/migrations`)) {
    const owner = services.find((s) => file.name.startsWith(`${s}_`));
    assert.ok(owner, `${file.name} names its owning service`);
  }
});

it("migrating again applies nothing", async () => {
  const { applied } = await migrate(testEnv().DATABASE_URL, { dir: `${root}/migrations` });
  assert.deepEqual(applied, []);
});

it("PostGIS answers geodesic distances (Buenos Aires centro → Palermo ≈ 4 km)", async () => {
  const [row] = await testSql()`select round((extensions.st_distance(
      extensions.st_setsrid(extensions.st_makepoint(-58.3816, -34.6037), 4326)::extensions.geography,
      extensions.st_setsrid(extensions.st_makepoint(-58.4205, -34.5875), 4326)::extensions.geography) / 1000)::numeric, 2) as km`;
  assert.equal(Number(row.km), 4);
});

it("seeding is idempotent: the ten trades exist once, each with a description", async () => {
  await seedDatabase(testEnv().DATABASE_URL, { root, env: testEnv(), log: () => {} });
  const trades = await testSql()`select nombre, descripcion from public.oficios where nombre in
    ('Plomería', 'Electricidad', 'Carpintería', 'Pintura', 'Albañilería', 'Jardinería', 'Limpieza',
     'Cerrajería', 'Climatización', 'Reparación de electrodomésticos')`;
  assert.equal(trades.length, 10);
  for (const t of trades) assert.ok(t.descripcion.length > 10, t.nombre);
});

it("a migration file changed after a database applied it is refused there, not skipped", async () => {
  const dir = await Deno.makeTempDir();
  const database = `migrate_edit_${Date.now()}_${Math.floor(Math.random() * 1e4)}`;
  const server = new URL(testEnv().DATABASE_URL);
  const admin = postgres(Object.assign(new URL(server), { pathname: "/postgres" }).toString(), {
    max: 1,
    onnotice: () => {},
  });
  await admin.unsafe(`create database ${database}`);
  const url = Object.assign(new URL(server), { pathname: `/${database}` }).toString();
  const file = `${dir}/20990101000000_platform_edit_probe.sql`;
  try {
    await Deno.writeTextFile(
      file,
      "create table public.edit_probe (id int);\ncreate index on public.edit_probe (id);\n",
    );
    assert.deepEqual((await migrate(url, { dir })).applied, ["20990101000000"]);
    assert.deepEqual((await migrate(url, { dir })).applied, [], "unchanged: nothing to apply");
    await Deno.writeTextFile(file, "create table public.edit_probe (id int, extra text);\n");
    await assert.rejects(
      () => migrate(url, { dir }),
      /20990101000000_platform_edit_probe\.sql changed after/,
    );
  } finally {
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
    await Deno.remove(dir, { recursive: true });
  }
});
