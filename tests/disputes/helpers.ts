import { createDb } from "../../shared/db.ts";
import { testSql } from "../support/accounts.ts";
import { testEnv } from "../support/env.ts";
import type { TestApi } from "../support/gateway.ts";
import { runTimers, type TimerSettings } from "../../functions/chat-offers/timers.ts";

/**
 * Fixtures for the disputes and timers tests (a job in a given state: `jobIn` in the offers
 * helpers): a dispute opened on a job, the ledger's invariants, and the timers run in-process with an
 * injected clock.
 */
export async function openDispute(gw: TestApi, token: string, trabajoId: string) {
  return await gw.json("POST", "/api/v1/disputas", {
    token,
    body: { trabajo_id: trabajoId, motivo: "MALA_CALIDAD", descripcion: "La canilla sigue perdiendo agua" },
  });
}

/**
 * `ledger_invariant_violations()` about these jobs (and their entries). Scoped: other test files
 * run in parallel in the same database, some in the middle of a transition.
 */
export async function invariantViolations(...trabajoIds: string[]): Promise<unknown[]> {
  return [
    ...await testSql()`select * from public.ledger_invariant_violations()
      where referencia = any(${trabajoIds}::text[])
        or referencia in (select id::text from public.ledger_asientos where trabajo_id = any(${trabajoIds}::uuid[]))`,
  ];
}

export async function ledgerOf(trabajoId: string) {
  const sql = testSql();
  const entries =
    await sql`select tipo from public.ledger_asientos where trabajo_id = ${trabajoId} order by tipo`;
  const refunds =
    await sql`select monto::float8 as monto, estado from public.reembolsos where trabajo_id = ${trabajoId}`;
  const [{ pro }] =
    await sql`select coalesce(sum(haber - debe), 0)::float8 as pro from public.ledger_movimientos
    where trabajo_id = ${trabajoId} and cuenta = 'profesional'`;
  return { entries: entries.map((e) => e.tipo as string), refunds, pro: pro as number };
}

let db: ReturnType<typeof createDb> | null = null;
const DEFAULTS: TimerSettings = {
  unpaidExpiryHours: 48,
  autoApproveDays: 14,
  reminderHours: 24,
  batchSize: 1000,
};

/**
 * One pass of the timers, in-process. Tests move the clock by moving their own rows' timestamps
 * into the past (`backdate`), never the sweep's clock: a future `now` would act on every other
 * test file's rows in the shared database. (The stack's functions host also sweeps every 300 ms
 * with the defaults, so assertions are on the rows and events, never on who acted.)
 */
export function sweep(settings: Partial<TimerSettings> = {}) {
  db ??= createDb(testEnv().DATABASE_URL, { max: 6, appName: "timers-test" });
  return runTimers({ db, settings: { ...DEFAULTS, ...settings } });
}

/** Moves a job's clock: created (unpaid timer) or completed (approval timer) `hours` ago. */
export async function backdate(trabajoId: string, column: "fecha_creacion" | "fecha_fin", hours: number) {
  await testSql()`update public.trabajos set ${testSql()(column)} = now() - make_interval(hours => ${hours})
    where id = ${trabajoId}`;
}

export async function outboxCount(aggregateId: string, type: string): Promise<number> {
  const [{ n }] = await testSql()`select count(*)::int as n from public.outbox
    where aggregate_id = ${aggregateId} and type = ${type}`;
  return n;
}
