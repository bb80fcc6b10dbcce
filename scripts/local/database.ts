import postgres from "postgres";
import { bootstrapSupabaseLookalike, ensureDatabase } from "../db/migrate.ts";
import { ensurePostgres } from "./postgres.ts";

/**
 * Where the local cluster prefers to listen (the Supabase CLI's database port, so tools configured for
 * it work); when another process holds it the cluster runs on a free port instead (see postgres.ts).
 */
export const LOCAL_PG_PORT = 54322;
export const DEV_DATABASE = "conectar_dev";

/**
 * The database a command works on: `DATABASE_URL` when set (a Supabase project, say), else the
 * dev database on the project-local cluster (started if needed, made Supabase-like).
 */
export async function targetDatabase(options: { root: string; reset?: boolean; log: (msg: string) => void }) {
  const given = Deno.env.get("DATABASE_URL");
  if (given) {
    if (options.reset) {
      throw new Error(
        "--reset only works on the local cluster; for a Supabase project use `supabase db reset`",
      );
    }
    return { url: given, stop: async () => {} };
  }
  const pg = await ensurePostgres({
    dataDir: `${options.root}/.local/pg`,
    port: LOCAL_PG_PORT,
    log: options.log,
  });
  const url = await ensureDatabase(pg.adminUrl, DEV_DATABASE, { reset: options.reset });
  if (!(await hasSupabaseHelpers(url))) await bootstrapSupabaseLookalike(url);
  return { url, stop: pg.started ? pg.stop : async () => {} };
}

/** True on Supabase (and on a database already bootstrapped): `auth.uid()` and the API roles exist. */
export async function hasSupabaseHelpers(url: string): Promise<boolean> {
  const sql = postgres(url, { prepare: false, max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select to_regprocedure('auth.uid()') is not null as present,
      exists (select from pg_roles where rolname = 'authenticated') as roles`;
    return row.present && row.roles;
  } finally {
    await sql.end();
  }
}
