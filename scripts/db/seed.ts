import postgres from "postgres";

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
