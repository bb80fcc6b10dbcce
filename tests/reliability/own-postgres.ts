import { bootstrapSupabaseLookalike, ensureDatabase, migrate } from "../../scripts/db/migrate.ts";
import { freePort } from "../../scripts/local/ports.ts";
import { ensurePostgres, type LocalPostgres } from "../../scripts/local/postgres.ts";

/**
 * A PostgreSQL cluster of a fault test's own (the run's cluster serves every other test file),
 * with one migrated database, that the test may stop and start again on the same port.
 *
 * @example
 * const pg = await startOwnPostgres();
 * await pg.stop(); await pg.start();   // "restarted mid-traffic"
 * await pg.destroy();                  // stopped and its files removed
 */
export type OwnPostgres = {
  /** The migrated database, as DATABASE_URL. */
  readonly databaseUrl: string;
  /** `pg_ctl stop -m fast`: sessions are terminated (57P01), new connections refused. */
  stop(): Promise<void>;
  /** Starts it again; resolves once it accepts connections. */
  start(): Promise<void>;
  destroy(): Promise<void>;
};

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const root = new URL("../..", import.meta.url).pathname;
  // A folder of its own: what ensurePostgres keeps beside the data directory goes with it.
  const folder = `${root}.local/reliability/pg-${crypto.randomUUID().slice(0, 8)}`;
  const dataDir = `${folder}/data`;
  const port = freePort();
  const quiet = () => {};
  let cluster: LocalPostgres | null = await ensurePostgres({ dataDir, port, log: quiet });
  try {
    const databaseUrl = await ensureDatabase(cluster.adminUrl, "faults");
    await bootstrapSupabaseLookalike(databaseUrl);
    await migrate(databaseUrl, { dir: `${root}migrations` });
    return {
      databaseUrl,
      async stop() {
        await cluster?.stop();
        cluster = null;
      },
      async start() {
        cluster = await ensurePostgres({ dataDir, port, log: quiet });
        if (cluster.port !== port) throw new Error(`port ${port} was taken while PostgreSQL was down`);
      },
      async destroy() {
        await cluster?.stop();
        cluster = null;
        await Deno.remove(folder, { recursive: true });
      },
    };
  } catch (error) {
    await cluster.stop();
    await Deno.remove(folder, { recursive: true }).catch(() => {});
    throw error;
  }
}
