/**
 * `deno task invariants [--grace SECONDS]` — checks the marketplace's invariants on DATABASE_URL, or
 * on the local dev database, and prints each check with `ok` or its violations. Exits 1 when any
 * does not hold (2 when the database lacks the checks: run `deno task db:migrate`).
 */
import postgres from "postgres";
import { targetDatabase } from "./local/database.ts";
import { invariantViolations, report } from "../tests/support/invariants.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const graceAt = Deno.args.indexOf("--grace");
const graceSeconds = graceAt >= 0 ? Number(Deno.args[graceAt + 1]) : 30;
if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
  console.error("--grace needs a number of seconds");
  Deno.exit(2);
}

const target = await targetDatabase({ root, log: (msg) => console.log(msg) });
const sql = postgres(target.url, { prepare: false, max: 1, onnotice: () => {} });
let code = 0;
try {
  const [{ present }] = await sql`
    select to_regprocedure('public.invariant_violations(jsonb, interval, uuid[])') is not null as present`;
  if (!present) {
    console.error("public.invariant_violations() is missing: run `deno task db:migrate` first");
    code = 2;
  } else {
    const found = await invariantViolations(sql, { graceSeconds });
    for (const line of report(found)) console.log(line);
    console.log(found.length ? `${found.length} violation(s)` : "every invariant holds");
    code = found.length ? 1 : 0;
  }
} finally {
  await sql.end();
  await target.stop();
}
Deno.exit(code);
