import postgres from "postgres";
import { settledViolations, type Violation } from "../support/invariants.ts";
import type { FaultOutcome, FaultScenario } from "./faults.ts";
import { startHostProcess } from "./host-process.ts";
import { startOwnPostgres } from "./own-postgres.ts";
import { logIn, PASSWORD, signUp } from "./signed-up.ts";
import { type Answer, countByStatus, startTraffic } from "./traffic.ts";
import { eventually, sleep } from "./wait.ts";

/**
 * PostgreSQL restarted mid-traffic: a cluster and a functions host process of the scenario's own,
 * registrations (a user row and its event in one transaction) and profile reads in flight while
 * the cluster stops (`-m fast`: sessions terminated) and starts again.
 */
export type PostgresRestart = {
  answers: Answer[];
  /** Answers that came while PostgreSQL was down or coming back (before the first 200 after it). */
  failures: Answer[];
  downMs: number;
  /** From PostgreSQL accepting connections again to the first 200 of a read that needs it. */
  recoveryMs: number | null;
  /** The gateway's aggregated /health and users' own /health while the database was down. */
  healthDown: { gateway: HealthBody; users: { status: number; body: HealthBody } };
  healthAfter: { status: number; body: HealthBody };
  /** Users without their `user.registered` event, and 201 answers whose user is not there. */
  halfWritten: string[];
  violations: Violation[];
};
// deno-lint-ignore no-explicit-any
type HealthBody = any;

const V = "/api/v1";

export async function restartPostgresMidTraffic(): Promise<PostgresRestart> {
  const pg = await startOwnPostgres();
  const sql = postgres(pg.databaseUrl, { prepare: false, max: 2, onnotice: () => {} });
  // The cheapest scrypt the configuration allows: registrations are the writes, not the load.
  const host = await startHostProcess({
    ...Deno.env.toObject(),
    DATABASE_URL: pg.databaseUrl,
    PASSWORD_SCRYPT_LOG_N: "13",
    PASSWORD_SCRYPT_P: "1",
  }).catch(async (error) => {
    await sql.end();
    await pg.destroy();
    throw error;
  });
  try {
    const gw = host.gateway;
    const reader = await signUp(gw, "pg-restart");
    const token = await logIn(gw, reader.email, reader.password);
    const traffic = startTraffic(gw, [
      { what: "register", send: (gw) => gw.json("POST", `${V}/auth/register`, { body: newUser() }) },
      { what: "me", send: (gw) => gw.json("GET", `${V}/users/me`, { token }) },
    ], 4);
    await eventually(() => traffic.answers.filter((a) => a.status === 200).length >= 8, 15_000);

    const stopped = performance.now();
    await pg.stop();
    await sleep(300);
    const healthDown = {
      gateway: (await gw.json("GET", "/health")).body,
      users: await host.functions.json("GET", "/users/health"),
    };
    await sleep(700);
    await pg.start();
    const up = performance.now();
    const readAgain = (a: Answer) => a.at > up && a.what === "me" && a.status === 200;
    await eventually(() => traffic.answers.some(readAgain), 20_000);
    const firstRead = traffic.answers.find(readAgain);
    await sleep(300);
    const answers = await traffic.stop();
    const recovered = firstRead?.at ?? Infinity;
    const healthAfter = await host.functions.json("GET", "/users/health");
    return {
      answers,
      failures: answers.filter((a) =>
        a.at > stopped && a.at < recovered && a.status !== 200 && a.status !== 201
      ),
      downMs: Math.round(up - stopped),
      recoveryMs: firstRead ? Math.round(firstRead.at - up) : null,
      healthDown,
      healthAfter,
      halfWritten: await halfWritten(sql, answers),
      // Every event published reaches its subscribers (QStash retried what the outage refused).
      violations: await settledViolations(sql, { timeoutMs: 15_000 }),
    };
  } finally {
    await host.stop();
    await sql.end();
    await pg.destroy();
  }
}

async function halfWritten(sql: postgres.Sql, answers: Answer[]): Promise<string[]> {
  const orphans = await sql<{ email: string }[]>`
    select u.email from public.usuarios u
    where not exists (select 1 from public.outbox o where o.type = 'user.registered' and o.aggregate_id = u.id::text)`;
  const created = answers.filter((a) => a.what === "register" && a.status === 201).map((a) => a.body.id);
  const present = new Set(
    (await sql<{ id: string }[]>`select id from public.usuarios where id = any(${created}::uuid[])`)
      .map((r) => r.id),
  );
  return [
    ...orphans.map((o) => `user without its event: ${o.email}`),
    ...created.filter((id) => !present.has(id)).map((id) => `201 for a user that is not there: ${id}`),
  ];
}

function newUser() {
  const email = `pg-restart-${crypto.randomUUID().slice(0, 12)}@example.com`;
  return { email, password: PASSWORD, nombre: "Ana", apellido: "Paz", rol: "CLIENTE" };
}

export function postgresRestartOutcome(result: PostgresRestart): FaultOutcome {
  const seen = Object.entries(countByStatus(result.failures)).map(([status, n]) => `${n}× ${status}`);
  const errors = result.answers.filter((a) => a.status === 500 || a.status === "network error").length;
  return {
    userSaw:
      `${seen.join(", ") || "nothing"} (service_unavailable, Retry-After) over ${result.downMs} ms down; ` +
      (errors ? `${errors} answers 500 or none` : "no 500"),
    recoveryMs: result.recoveryMs,
    invariantsHeld: result.violations.length === 0 && result.halfWritten.length === 0,
    notes: `${result.answers.length} requests in flight around the restart`,
  };
}

export const POSTGRES_RESTART: FaultScenario = {
  name: "postgres-restart",
  fault: "PostgreSQL restarted (pg_ctl stop -m fast, start) under registrations and reads",
  run: async () => postgresRestartOutcome(await restartPostgresMidTraffic()),
};
