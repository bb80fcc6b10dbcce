/**
 * `deno task seed` — runs the idempotent seed steps (reference data, admin account, …) against
 * `DATABASE_URL` or the local dev database. Production: set `DATABASE_URL` and the admin's
 * credentials explicitly (see README, Configuration).
 */
import { seedDatabase } from "./db/seed.ts";
import { targetDatabase } from "./local/database.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const log = (msg: string) => console.log(msg);

const target = await targetDatabase({ root, log });
try {
  await seedDatabase(target.url, { root, env: Deno.env.toObject(), log, args: Deno.args });
} finally {
  await target.stop();
}
