import assert from "node:assert/strict";
import postgres from "postgres";
import { listMigrations, migrate } from "../../scripts/db/migrate.ts";
import { it, testEnv } from "../support/env.ts";

const root = testEnv().TEST_ROOT ?? new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const cli = `${root}/tools/supabase-cli/node_modules/.bin/supabase`;

/**
 * The pinned CLI (tools/supabase-cli), installed from npm on first use. `npm install`, not
 * `npm ci`: the CLI's per-platform optional packages are missing from any lock file npm writes;
 * `--no-save` leaves the committed lock file as it is (npm would add them to it).
 */
async function ensureCli() {
  try {
    await Deno.stat(cli);
  } catch {
    const install = await new Deno.Command("npm", {
      args: ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", `${root}/tools/supabase-cli`],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(install.code, 0, new TextDecoder().decode(install.stderr));
  }
}

async function supabase(...args: string[]) {
  const output = await new Deno.Command(cli, {
    args,
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, text);
  return text;
}

it("the Supabase CLI applies the same migration files and seed (db push), and our migrator agrees", async () => {
  await ensureCli();
  const database = `sbcli_${Date.now()}_${Math.floor(Math.random() * 1e4)}`;
  const server = new URL(testEnv().DATABASE_URL);
  const admin = postgres({ ...connection(server, "postgres"), max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${database}`);
  const url = Object.assign(new URL(server), { pathname: `/${database}` }).toString();
  try {
    // What Supabase already has (roles, auth helpers); our local bootstrap provides it here.
    const sql = postgres(url, { prepare: false, max: 1, onnotice: () => {} });
    await sql.unsafe(await Deno.readTextFile(`${root}/scripts/db/supabase-local-bootstrap.sql`));
    await sql.end();

    await supabase("db", "push", "--db-url", url, "--include-seed", "--yes");
    const list = await supabase("migration", "list", "--db-url", url);
    for (const file of await listMigrations(`${root}/migrations`)) {
      assert.match(
        list,
        new RegExp(`${file.version}\\S*\\s*\\|\\s*\\S*${file.version}`),
        `${file.version} applied`,
      );
    }
    const { applied } = await migrate(url, { dir: `${root}/migrations` });
    assert.deepEqual(applied, [], "the CLI's history is ours");
    const check = postgres(url, { prepare: false, max: 1, onnotice: () => {} });
    const [{ n }] = await check`select count(*)::int as n from public.oficios`;
    await check.end();
    assert.equal(n, 10);
  } finally {
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
});

function connection(url: URL, database: string) {
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password) || undefined,
    database,
    prepare: false,
  };
}
