import { REDIS_BREAKER } from "../../shared/redis-breaker.ts";
import { testSql } from "../support/accounts.ts";
import { api } from "../support/gateway.ts";
import { settledViolations, type Violation } from "../support/invariants.ts";
import type { FaultOutcome, FaultScenario } from "./faults.ts";
import { startOwnRedis } from "./own-redis.ts";
import { expectStatus, logIn, logInAdmin, signUp, untilLogInWorks } from "./signed-up.ts";

/**
 * Redis hung — it keeps its connections and answers nothing (SIGSTOP) — through a gateway whose
 * Upstash is a Redis of the scenario's own: the first requests wait out the command timeout, then
 * the circuit breaker (shared/redis-breaker.ts) opens and every use of Redis takes its outage path
 * at once; once Redis answers again, the breaker's probe closes it. Each session check uses a
 * token of its own, unused until then: no check is answered from a process's cache.
 */
export type RedisHung = {
  /** The requests that waited out the timeout before one answered fast (the breaker open). */
  tripping: { status: number; ms: number }[];
  /** Each request made while the breaker was open. */
  open: Record<
    "signedInRead" | "bannedRead" | "login" | "directorySearch" | "health" | "register",
    { status: number; ms: number }
  >;
  /** Users' Redis check in the gateway's health while open, and its error text. */
  healthRedis: { status?: string; error?: string };
  /** From Redis answering again to the first login that succeeds. */
  recoveryMs: number | null;
  after: { signedInRead: number; bannedRead: number; login: number };
  violations: Violation[];
};

const V = "/api/v1";
/** A request the breaker answers without Redis takes a few ms; the command timeout is 2 s. */
export const FAST_MS = 500;

export async function hangRedis(): Promise<RedisHung> {
  const redis = await startOwnRedis();
  try {
    const gw = await api(redis.env);
    const admin = await logInAdmin(gw);
    const [alice, bob] = await Promise.all(["alice", "bob"].map((who) => signUp(gw, `redis-hung-${who}`)));
    const fresh = (who: { email: string; password: string }, n: number) =>
      Promise.all(Array.from({ length: n }, () => logIn(gw, who.email, who.password)));
    // Enough tokens to trip the breaker (and a spare), then one per check while open and after.
    const aliceTokens = await fresh(alice, REDIS_BREAKER.failuresToOpen + 5);
    const [bobOpen, bobAfter] = await fresh(bob, 2);
    await expectStatus(gw.json("POST", `${V}/admin/users/${bob.id}/ban`, { token: admin }), 200, "ban bob");

    const timed = async <R extends { status: number }>(res: Promise<R>) => {
      const started = performance.now();
      const answer = await res;
      return { status: answer.status, ms: Math.round(performance.now() - started), answer };
    };
    const me = (token: string) => timed(gw.json("GET", `${V}/users/me`, { token }));
    const seen = ({ status, ms }: { status: number; ms: number }) => ({ status, ms });

    await redis.pause();
    const tripping: { status: number; ms: number }[] = [];
    let first = seen(await me(aliceTokens.pop()!));
    while (first.ms >= FAST_MS && tripping.length <= REDIS_BREAKER.failuresToOpen) {
      tripping.push(first);
      first = seen(await me(aliceTokens.pop()!));
    }
    // Open now, for REDIS_BREAKER.openMs: these all come well within it (register last: it hashes).
    const bannedRead = await me(bobOpen);
    const login = await timed(
      gw.json("POST", `${V}/auth/login`, { body: { email: alice.email, password: alice.password } }),
    );
    const directorySearch = await timed(
      gw.json("GET", `${V}/users/search?q=Ana`, { token: aliceTokens.pop()! }),
    );
    const health = await timed(gw.json("GET", "/health"));
    const register = await timed(gw.json("POST", `${V}/auth/register`, {
      body: {
        email: `redis-hung-new-${crypto.randomUUID().slice(0, 12)}@example.com`,
        password: alice.password,
        nombre: "Ana",
        apellido: "Paz",
        rol: "CLIENTE",
      },
    }));
    const open = {
      signedInRead: first,
      bannedRead: seen(bannedRead),
      login: seen(login),
      directorySearch: seen(directorySearch),
      health: seen(health),
      register: seen(register),
    };
    const healthRedis = health.answer.body.servicios?.users?.checks?.redis ?? {};

    await redis.resume();
    const recoveryMs = await untilLogInWorks(gw, alice, REDIS_BREAKER.openMs + 10_000);
    const after = {
      signedInRead: (await me(aliceTokens.pop()!)).status,
      bannedRead: (await me(bobAfter)).status,
      login:
        (await gw.json("POST", `${V}/auth/login`, { body: { email: bob.email, password: bob.password } }))
          .status,
    };
    return {
      tripping,
      open,
      healthRedis: { status: healthRedis.status, error: healthRedis.error },
      recoveryMs,
      after,
      violations: await settledViolations(testSql(), { refs: [alice.id, bob.id] }),
    };
  } finally {
    await redis.destroy();
  }
}

/** The statuses each request must get, hung Redis or not: the outage paths of README's table. */
export const EXPECTED_OPEN = {
  signedInRead: 200,
  bannedRead: 401,
  login: 503,
  directorySearch: 200,
  health: 200,
  register: 201,
} as const;

export function redisHungOutcome(result: RedisHung): FaultOutcome {
  const o = result.open;
  const fast = (Object.keys(EXPECTED_OPEN) as (keyof typeof EXPECTED_OPEN)[])
    .filter((k) => k !== "register")
    .every((k) => o[k].ms < FAST_MS);
  const right = (Object.keys(EXPECTED_OPEN) as (keyof typeof EXPECTED_OPEN)[])
    .every((k) => o[k].status === EXPECTED_OPEN[k]);
  return {
    userSaw: `${result.tripping.length} requests waited out the 2 s timeout; then, breaker open: signed-in ` +
      `reads ${o.signedInRead.status} in ${o.signedInRead.ms} ms, banned ${o.bannedRead.status} in ` +
      `${o.bannedRead.ms} ms, login ${o.login.status} in ${o.login.ms} ms; health redis "${result.healthRedis.status}"`,
    recoveryMs: result.recoveryMs,
    invariantsHeld: result.violations.length === 0 && fast && right && result.after.bannedRead === 401,
    notes: `the breaker opens after ${REDIS_BREAKER.failuresToOpen} timeouts in a row and probes Redis ` +
      `every ${REDIS_BREAKER.openMs / 1000} s`,
  };
}

export const REDIS_HUNG: FaultScenario = {
  name: "redis-hung",
  fault: "Redis (behind the Upstash REST API) hung (SIGSTOP), then resumed",
  run: async () => redisHungOutcome(await hangRedis()),
};
