import postgres from "postgres";
import { ensureStorageBuckets } from "../../shared/storage.ts";
import { loadAdminBootstrap } from "../../shared/config-admin.ts";
import { ensureAdminAccount } from "../../functions/auth/admin-bootstrap.ts";
import { createPasswordHasher, DEFAULT_SCRYPT_PARAMS } from "../../functions/auth/passwords.ts";
import { seedDemoProfessionals } from "../professionals/demo-seed.ts";
import { seedDemoMarketplace } from "../marketplace/demo-marketplace.ts";
import { generateProfessionals, progressLine } from "../professionals/generate.ts";

/**
 * Reference data and accounts every environment starts with. Each step is idempotent, so the
 * local stack runs them on every start.
 */
export type SeedStep = {
  name: string;
  run(sql: postgres.Sql, context: SeedContext): Promise<void>;
};
export type SeedContext = {
  root: string;
  env: Record<string, string>;
  log: (msg: string) => void;
  /** Command-line flags of `deno task seed` (e.g. `--demo`). */
  args?: string[];
};

export const SEED_STEPS: SeedStep[] = [
  {
    name: "reference data (supabase/seed.sql: the ten trades)",
    async run(sql, { root }) {
      await sql.unsafe(await Deno.readTextFile(`${root}/supabase/seed.sql`));
    },
  },
  {
    name: "storage buckets (avatars and portfolio public, kyc private)",
    async run(_sql, { env, log }) {
      if (!env.SUPABASE_URL || !env.SUPABASE_SERVICE_ROLE_KEY) {
        log("  storage buckets skipped: SUPABASE_URL / SUPABASE_SERVICE_ROLE_KEY not set");
        return;
      }
      const created = await ensureStorageBuckets({
        url: env.SUPABASE_URL,
        serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
      });
      if (created.length) log(`  created bucket(s) ${created.join(", ")}`);
    },
  },
  {
    // Local/test stacks supply admin@example.com / Admin1234!; elsewhere both variables must be set.
    name: "admin account (ADMIN_EMAIL, ADMIN_PASSWORD)",
    async run(sql, { env, log, args }) {
      const admin = loadAdminBootstrap(env);
      if (!admin) {
        log("  WARNING: ADMIN_EMAIL and ADMIN_PASSWORD are not set: no admin account was created");
        return;
      }
      const outcome = await ensureAdminAccount(sql, admin, {
        hasher: createPasswordHasher(DEFAULT_SCRYPT_PARAMS),
        resetPassword: args?.includes("--reset-admin-password"),
      });
      log(`  admin ${admin.email}: ${outcome}`);
    },
  },
  {
    // `deno task seed --demo`: approved professionals around Buenos Aires (search has results).
    name: "demo professionals (--demo only)",
    async run(sql, { env, log, args }) {
      if (!args?.includes("--demo")) return;
      await seedDemoProfessionals(sql, { env, log });
    },
  },
  {
    // After the professionals: clients, chats, offers and jobs in every state, reviews (--demo only).
    name: "demo marketplace (--demo only)",
    async run(sql, { log, args }) {
      if (!args?.includes("--demo")) return;
      await seedDemoMarketplace(sql, { log });
    },
  },
  {
    // `deno task seed --bench-data[=N]`: N synthetic professionals (default 100 000), set-based.
    name: "benchmark professionals (--bench-data[=N] only)",
    async run(sql, { log, args }) {
      const flag = args?.find((a) => a === "--bench-data" || a.startsWith("--bench-data="));
      if (!flag) return;
      const count = Number(flag.split("=")[1] ?? 100_000);
      const [{ n }] = await sql`select count(*)::int as n from public.usuarios where email like 'bench-%'`;
      await generateProfessionals(sql, {
        from: n + 1,
        to: n + count,
        tag: `s${Date.now().toString(36)}`,
        onProgress: (done, total, ms) => log(`  benchmark professionals ${progressLine(done, total, ms)}`),
      });
    },
  },
];

export async function seedDatabase(url: string, context: SeedContext): Promise<void> {
  const sql = postgres(url, { prepare: false, max: 1, onnotice: () => {} });
  try {
    for (const step of SEED_STEPS) {
      await step.run(sql, context);
      context.log(`seeded ${step.name}`);
    }
  } finally {
    await sql.end();
  }
}
