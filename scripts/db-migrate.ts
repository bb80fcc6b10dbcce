/**
 * `deno task db:migrate` — applies `migrations/` to `DATABASE_URL`, or to the local dev database.
 * `deno task db:reset` — drops and recreates the local dev database first, then migrates and seeds.
 */
import { migrate } from "./db/migrate.ts";
import { seedDatabase } from "./db/seed.ts";
import { targetDatabase } from "./local/database.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const reset = Deno.args.includes("--reset");
const log = (msg: string) => console.log(msg);

const target = await targetDatabase({ root, reset, log });
try {
  const { applied } = await migrate(target.url, { dir: `${root}/migrations`, log });
  log(applied.length ? `${applied.length} migration(s) applied` : "database is up to date");
  if (reset) await seedDatabase(target.url, { root, env: Deno.env.toObject(), log });
} finally {
  await target.stop();
}
