import { testSql } from "../support/accounts.ts";
import { api } from "../support/gateway.ts";
import { settledViolations, type Violation } from "../support/invariants.ts";
import type { FaultOutcome, FaultScenario } from "./faults.ts";
import { startOwnRedis } from "./own-redis.ts";
import { expectStatus, logIn, logInAdmin, signUp, untilLogInWorks } from "./signed-up.ts";

/**
 * Redis down (README, "When Redis is down"), through a gateway whose Upstash is a Redis of the
 * scenario's own: what each use of Redis does while it is down, and that everything works again
 * once it is back. Every token is used for the first time during the outage, so no check can be
 * answered from a process's short cache.
 */
export type RedisDown = {
  /** Status of each request made while Redis was down, by what it was. */
  during: Record<
    | "signedInRead"
    | "bannedRead"
    | "loggedOutRead"
    | "directorySearch"
    | "publicSearch"
    | "register"
    | "login"
    | "ban",
    { status: number; code?: string; retryAfter?: string | null }
  >;
  /** Redis hung (answering nothing) rather than down: the same answers, after the command timeout. */
  hung: { signedInRead: { status: number; ms: number }; login: { status: number; ms: number } };
  /** The gateway's aggregated health while Redis was down (users' `checks.redis`). */
  healthDown: { estadoGeneral: string; usersRedis: string };
  /** What the ban refused during the outage left in Postgres: is_active and user.banned events. */
  afterRefusedBan: { isActive: boolean; banEvents: number };
  /** From Redis accepting again to the first login that succeeds. */
  recoveryMs: number | null;
  after: { ban: number; bannedRead: number; stillBannedRead: number; signedInRead: number };
  violations: Violation[];
};

const V = "/api/v1";

export async function takeRedisDown(): Promise<RedisDown> {
  const redis = await startOwnRedis();
  try {
    const gw = await api(redis.env);
    const admin = await logInAdmin(gw);
    const [alice, bob, carol, dave] = await Promise.all(
      ["alice", "bob", "carol", "dave"].map((who) => signUp(gw, `redis-down-${who}`)),
    );
    // A token of its own for each check, unused until the outage: no cache holds its session.
    const [aliceToken, directoryToken, aliceHungToken, bobToken, carolToken, daveToken, daveOtherToken] =
      await Promise.all(
        [alice, alice, alice, bob, carol, dave, dave].map((who) => logIn(gw, who.email, who.password)),
      );
    // Before the outage: bob is banned, dave logs out everywhere (both recorded in Redis and Postgres).
    await expectStatus(gw.json("POST", `${V}/admin/users/${bob.id}/ban`, { token: admin }), 200, "ban bob");
    await expectStatus(
      gw.json("POST", `${V}/auth/logout-all`, { token: daveOtherToken }),
      200,
      "logout-all dave",
    );

    const timed = async (res: Promise<{ status: number }>) => {
      const started = performance.now();
      return { status: (await res).status, ms: Math.round(performance.now() - started) };
    };
    await redis.pause();
    const hung = {
      signedInRead: await timed(gw.json("GET", `${V}/users/me`, { token: aliceHungToken })),
      login: await timed(
        gw.json("POST", `${V}/auth/login`, { body: { email: alice.email, password: alice.password } }),
      ),
    };
    await redis.resume();

    await redis.stop();
    const seen = async (res: Promise<{ status: number; headers: Headers; body: { code?: string } }>) => {
      const { status, headers, body } = await res;
      return { status, code: body?.code, retryAfter: headers.get("retry-after") };
    };
    const during = {
      signedInRead: await seen(gw.json("GET", `${V}/users/me`, { token: aliceToken })),
      bannedRead: await seen(gw.json("GET", `${V}/users/me`, { token: bobToken })),
      loggedOutRead: await seen(gw.json("GET", `${V}/users/me`, { token: daveToken })),
      directorySearch: await seen(gw.json("GET", `${V}/users/search?q=Ana`, { token: directoryToken })),
      publicSearch: await seen(gw.json("POST", `${V}/search`, { body: { limit: 5 } })),
      register: await seen(gw.json("POST", `${V}/auth/register`, {
        body: {
          email: `redis-down-new-${crypto.randomUUID().slice(0, 12)}@example.com`,
          password: alice.password,
          nombre: "Ana",
          apellido: "Paz",
          rol: "CLIENTE",
        },
      })),
      login: await seen(
        gw.json("POST", `${V}/auth/login`, { body: { email: alice.email, password: alice.password } }),
      ),
      ban: await seen(gw.json("POST", `${V}/admin/users/${carol.id}/ban`, { token: admin })),
    };
    const health = (await gw.json("GET", "/health")).body;
    const healthDown = {
      estadoGeneral: health.estado_general,
      usersRedis: health.servicios?.users?.checks?.redis?.status,
    };
    const [carolRow] = await testSql()`select is_active,
        (select count(*)::int from public.outbox where type = 'user.banned' and aggregate_id = ${carol.id})
          as ban_events
      from public.usuarios where id = ${carol.id}`;

    await redis.start();
    const recoveryMs = await untilLogInWorks(gw, alice, 15_000);
    const after = {
      ban: (await gw.json("POST", `${V}/admin/users/${carol.id}/ban`, { token: admin })).status,
      bannedRead: (await gw.json("GET", `${V}/users/me`, { token: carolToken })).status,
      stillBannedRead: (await gw.json("GET", `${V}/users/me`, { token: bobToken })).status,
      signedInRead: (await gw.json("GET", `${V}/users/me`, { token: aliceToken })).status,
    };
    const refs = [alice, bob, carol, dave].map((who) => who.id);
    return {
      during,
      hung,
      healthDown,
      afterRefusedBan: { isActive: carolRow.is_active, banEvents: carolRow.ban_events },
      recoveryMs,
      after,
      violations: await settledViolations(testSql(), { refs }),
    };
  } finally {
    await redis.destroy();
  }
}

export function redisDownOutcome(result: RedisDown): FaultOutcome {
  const d = result.during;
  return {
    userSaw:
      `signed-in reads ${d.signedInRead.status}, banned ${d.bannedRead.status}, login ${d.login.status}, ` +
      `ban ${d.ban.status}, register ${d.register.status} (limits open), public search ${d.publicSearch.status}; ` +
      `health "${result.healthDown.estadoGeneral}"`,
    recoveryMs: result.recoveryMs,
    invariantsHeld: result.violations.length === 0 && result.afterRefusedBan.isActive &&
      result.afterRefusedBan.banEvents === 0,
    notes: "sessions checked in Postgres; revocations and password checks refused (503) until Redis is back",
  };
}

export const REDIS_DOWN: FaultScenario = {
  name: "redis-down",
  fault: "Redis (behind the Upstash REST API) stopped, then started again",
  run: async () => redisDownOutcome(await takeRedisDown()),
};
