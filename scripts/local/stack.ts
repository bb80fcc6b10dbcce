import postgres from "postgres";
import { hasSupabaseHelpers, LOCAL_PG_PORT } from "./database.ts";
import { STAND_INS } from "../../tests/fakes/registry.ts";
import { bootstrapSupabaseLookalike, ensureDatabase, migrate } from "../db/migrate.ts";
import { seedDatabase } from "../db/seed.ts";
import { type HostLogging, startFunctionsHost } from "./functions-host.ts";
import { localSigningKeys } from "./keys.ts";
import { ensurePostgres } from "./postgres.ts";
import { ensureRedis } from "./redis.ts";

/**
 * Everything the functions need, brought up on this machine without Docker: PostgreSQL + PostGIS
 * (a project-local cluster, or `DATABASE_URL`), migrations, seed data, Redis behind an
 * Upstash-compatible REST endpoint, and every SaaS stand-in. Used by `deno task dev` and
 * `deno task test` alike, so tests run against exactly what developers run.
 */
export type StackOptions = {
  root: string;
  /** Database to use on the local cluster (ignored when `databaseUrl` is given). */
  database: string;
  /** Drop and recreate the database first (test runs). */
  reset: boolean;
  /** An existing database to use instead of the local cluster. */
  databaseUrl?: string;
  fixedPorts: boolean;
  redisDb: number;
  /** Flags for the seed steps (the dev stack passes `--demo`). */
  seedArgs?: string[];
  log: (msg: string) => void;
  /** How the functions host logs (tests scan every line); stdout at LOG_LEVEL when not given. */
  hostLogging?: HostLogging;
};

/** A step of bringing the stack up failed; its message was already printed. */
export class StackError extends Error {
  constructor(readonly step: string, readonly reason: unknown) {
    super(`local stack: "${step}" failed`, { cause: reason });
    this.name = "StackError";
  }
}

export type Stack = {
  /** Variables that point the functions at this stack (add them to the environment). */
  env: Record<string, string>;
  /** URL of the stack's database. */
  databaseUrl: string;
  /** Drops the database when `dropDatabase`; stops what this stack started (not what it reused). */
  stop(options?: { dropDatabase?: boolean }): Promise<void>;
};

/** Preferred, like LOCAL_PG_PORT: a run uses another free port when something else holds it. */
export const LOCAL_REDIS_PORT = 6390;

export async function startStack(options: StackOptions): Promise<Stack> {
  const { root, log } = options;
  const local = `${root}/.local`;
  const stops: (() => Promise<void>)[] = [];
  const step = async <T>(title: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    log(`→ ${title}…`);
    try {
      const result = await fn();
      log(`✓ ${title} (${Math.round(performance.now() - started)} ms)`);
      return result;
    } catch (error) {
      log(`✗ ${title}: ${error instanceof Error ? error.message : String(error)}`);
      throw new StackError(title, error);
    }
  };

  try {
    const keys = await step("signing keys", () => localSigningKeys(`${local}/keys`));

    let databaseUrl: string;
    let adminUrl: string | null = null;
    if (options.databaseUrl) {
      databaseUrl = options.databaseUrl;
      log(`  using DATABASE_URL (${new URL(databaseUrl).host})`);
    } else {
      // The port is a preference: a run reuses the cluster wherever it runs, or avoids a taken port.
      const pg = await step(
        "PostgreSQL + PostGIS",
        () => ensurePostgres({ dataDir: `${local}/pg`, port: LOCAL_PG_PORT, log: (m) => log(`  ${m}`) }),
      );
      if (pg.started) stops.push(pg.stop);
      adminUrl = pg.adminUrl;
      databaseUrl = await step(
        `database "${options.database}"${options.reset ? " (fresh)" : ""}`,
        () => ensureDatabase(pg.adminUrl, options.database, { reset: options.reset }),
      );
    }

    await step("Supabase roles and auth helpers", async () => {
      if (!(await hasSupabaseHelpers(databaseUrl))) await bootstrapSupabaseLookalike(databaseUrl);
    });
    await step(
      "migrations",
      () => migrate(databaseUrl, { dir: `${root}/migrations`, log: (m) => log(`  ${m}`) }),
    );

    const redis = await step(
      "Redis",
      () => ensureRedis({ dataDir: `${local}/redis`, port: LOCAL_REDIS_PORT, log: (m) => log(`  ${m}`) }),
    );
    if (redis.started) stops.push(redis.stop);

    const env: Record<string, string> = { DATABASE_URL: databaseUrl, ...keys };
    for (const standIn of STAND_INS) {
      const running = await step(`stand-in: ${standIn.name}`, () =>
        standIn.start({
          redisUrl: redis.url,
          redisDb: options.redisDb,
          fixedPorts: options.fixedPorts,
          dataDir: `${local}/stand-ins`,
          log: (m) => log(`  ${m}`),
        }));
      stops.push(running.stop);
      Object.assign(env, running.env);
    }
    // Local and test stacks only: the admin the original's clients and tests expect (API.md), and
    // per-IP auth limits roomy enough for every client of this machine calling from 127.0.0.1.
    env.ADMIN_EMAIL ??= "admin@example.com";
    env.CHECKOUT_LINK_SECRET ??= "local-checkout-link-secret-0123456789abcdef";
    env.ADMIN_PASSWORD ??= "Admin1234!";
    // The chat infraction webhook's shared secret (the Cloud Function's X-API-Key), local only.
    env.CHAT_WEBHOOK_API_KEY ??= "local-chat-webhook-key-0123456789";
    env.RATE_LIMIT_LOGIN_PER_IP ??= "10000/15m";
    env.RATE_LIMIT_REGISTER_PER_IP ??= "10000/1h";
    env.RATE_LIMIT_RECOVERY_PER_IP ??= "10000/1h";

    await step(
      "seed data",
      () => seedDatabase(databaseUrl, { root, env, log: (m) => log(`  ${m}`), args: options.seedArgs }),
    );

    // Every function at FUNCTIONS_PUBLIC_URL (where QStash delivers events) and the relay sweep's
    // schedule, as Supabase provides them; started last, with the whole environment.
    const host = await step(
      "functions host (public function URLs + sweep schedule)",
      () =>
        startFunctionsHost(env, {
          port: options.fixedPorts ? 8090 : 0,
          sweepIntervalMs: options.fixedPorts ? 2000 : 300,
          log: (m) => log(`  ${m}`),
          logging: options.hostLogging,
        }),
    );
    Object.assign(env, host.env);

    return {
      env,
      databaseUrl,
      async stop(stopOptions = {}) {
        // First, while the database still exists: the host's sweep schedule talks to it.
        await host.stop().catch((e) => log(`  stop failed: ${e}`));
        if (stopOptions.dropDatabase && adminUrl) {
          await dropDatabase(adminUrl, options.database).catch((e) => log(`  could not drop database: ${e}`));
        }
        for (const stop of stops.reverse()) await stop().catch((e) => log(`  stop failed: ${e}`));
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
}

async function dropDatabase(adminUrl: string, database: string) {
  const sql = postgres(adminUrl, { prepare: false, max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists ${database} with (force)`);
  } finally {
    await sql.end();
  }
}
