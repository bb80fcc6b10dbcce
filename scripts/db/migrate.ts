import postgres from "postgres";

/**
 * Applies `migrations/<14-digit version>_<name>.sql` in order, each in its own transaction, and
 * records them in `supabase_migrations.schema_migrations` — the table the Supabase CLI uses — so
 * `supabase migration list` / `db push` see the same history.
 */
export type MigrationFile = { version: string; name: string; path: string };

const FILE = /^(\d{14})_(.+)\.sql$/;
const LOCK_KEY = 7_413_902_211; // any constant: serialises concurrent migrators

export async function listMigrations(dir: string): Promise<MigrationFile[]> {
  const files: MigrationFile[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const match = entry.isFile ? FILE.exec(entry.name) : null;
    if (match) files.push({ version: match[1], name: match[2], path: `${dir}/${entry.name}` });
  }
  return files.sort((a, b) => a.version.localeCompare(b.version));
}

export async function migrate(
  url: string,
  options: { dir: string; log?: (msg: string) => void },
): Promise<{ applied: string[] }> {
  const log = options.log ?? (() => {});
  const sql = postgres(url, { prepare: false, max: 1, onnotice: () => {} });
  try {
    await sql`create schema if not exists supabase_migrations`;
    await sql`create table if not exists supabase_migrations.schema_migrations (
      version text not null primary key, statements text[], name text)`;
    const applied: string[] = [];
    for (const file of await listMigrations(options.dir)) {
      const text = await Deno.readTextFile(file.path);
      const done = await sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
        const [seen] = await tx<{ statements: string[] | null }[]>`
          select statements from supabase_migrations.schema_migrations where version = ${file.version}`;
        if (seen && changedSinceApplied(seen.statements, text)) {
          throw new Error(
            `migrations/${file.version}_${file.name}.sql changed after this database applied it: ` +
              "a database that has it would never get the change. Put the change in a new migration " +
              "(a local database: deno task db:reset).",
          );
        }
        if (seen) return false;
        await tx.unsafe(text);
        await tx`insert into supabase_migrations.schema_migrations (version, statements, name)
                 values (${file.version}, ${[text]}, ${file.name})`;
        return true;
      });
      if (done) {
        applied.push(file.version);
        log(`applied ${file.version}_${file.name}`);
      }
    }
    return { applied };
  } finally {
    await sql.end();
  }
}

/**
 * Whether a migration file differs from what was recorded when it was applied. This migrator
 * records the file whole; the Supabase CLI records it split into statements, which only a
 * one-statement file can be compared with (whitespace and the final semicolon aside).
 */
export function changedSinceApplied(recorded: string[] | null, text: string): boolean {
  if (!recorded || recorded.length !== 1) return false;
  const norm = (sql: string) => sql.trim().replace(/;$/, "").trim();
  return norm(recorded[0]) !== norm(text);
}

/** Creates `database` if missing (drops it first on `reset`); answers its URL. */
export async function ensureDatabase(
  adminUrl: string,
  database: string,
  options: { reset?: boolean } = {},
): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`Bad database name "${database}"`);
  const sql = postgres(adminUrl, { prepare: false, max: 1, onnotice: () => {} });
  try {
    if (options.reset) await sql.unsafe(`drop database if exists ${database} with (force)`);
    const [exists] = await sql`select 1 from pg_database where datname = ${database}`;
    if (!exists) await sql.unsafe(`create database ${database}`);
  } finally {
    await sql.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The local-only Supabase look-alike (roles, `auth.uid()`, grants); see the SQL file. */
export async function bootstrapSupabaseLookalike(url: string): Promise<void> {
  const text = await Deno.readTextFile(new URL("./supabase-local-bootstrap.sql", import.meta.url));
  const sql = postgres(url, { prepare: false, max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(text);
  } finally {
    await sql.end();
  }
}
