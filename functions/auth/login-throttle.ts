import { createHash } from "node:crypto";
import type { Redis } from "@upstash/redis";
import type { RateLimitSpec } from "../../shared/config-parsers.ts";
import type { Logger } from "../../shared/log.ts";
import { redisOutage, redisUnavailable } from "../../shared/redis-outage.ts";
import { tooManyAttempts } from "./rate-limits.ts";

/**
 * Brute-force protection of password checks (login, change password) that a stranger cannot
 * turn against the owner. Only FAILURES count, in three counters:
 *
 * - per (account, client address): the guesser is stopped, the owner elsewhere is not; a
 *   correct password clears it;
 * - per client address, whatever the account (password spraying);
 * - per account across every address: a much higher ceiling against guessing from many
 *   addresses. Reaching it blocks the account for everyone until the window ends (or the
 *   password is reset), with its own message; the owner is told by e-mail (`auth.login_throttled`).
 *
 * Each attempt takes a slot in all three before the password is checked (so parallel guesses
 * cannot overshoot) and a correct password gives them back. Counters are fixed windows opened by
 * the first failure, in Redis, keyed by hashes: no address or e-mail is stored in clear.
 *
 * Without Redis no password is checked (503): uncounted guessing for as long as an outage lasts
 * would undo the limits, and people already signed in keep working (their sessions are checked
 * in Postgres meanwhile). Giving slots back after a correct password is best effort.
 */
export type LoginThrottle = {
  /** Takes a slot in each counter, or throws 429 (Retry-After, X-RateLimit-*) without counting. */
  begin(email: string, ip: string): Promise<LoginAttempt>;
  /** Forgets the account's failures across addresses (after a password reset). */
  clearAccount(email: string): Promise<void>;
};

export type LoginAttempt = {
  /** The password was right: the pair's failures are cleared and the other slots given back. */
  succeeded(): Promise<void>;
  /** The password was wrong: the slots stay taken. `ceilingReached` when this failure filled the account's. */
  failed(): { ceilingReached: boolean; retryAfterSeconds: number };
};

export type LoginThrottleLimits = {
  perAccountIp: RateLimitSpec;
  perIp: RateLimitSpec;
  perAccount: RateLimitSpec;
};

/** The ceiling's answer: the same for an address nobody has, so it tells nothing about accounts. */
export const ceilingMessage = (wait: string) =>
  "Por seguridad, el inicio de sesión de esta cuenta está bloqueado temporalmente: hubo demasiados " +
  `intentos fallidos desde distintos lugares y le avisamos por email a su titular. Volvé a intentar en ${wait} ` +
  "o restablecé tu contraseña.";

// INCR, open the window on the first failure (and repair a counter that lost its expiry), and
// refuse — giving the slot back at once — past the limit. One script: atomic, one round trip.
const TAKE = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
if n > tonumber(ARGV[1]) then redis.call('DECR', KEYS[1]); return {0, n - 1, ttl} end
return {1, n, ttl}`;
const GIVE_BACK = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return n`;

type Counter = { name: string; spec: RateLimitSpec; key: string };
type Taken = { ok: boolean; count: number; ttlMs: number };

export function createLoginThrottle(redis: Redis, log: Logger, limits: LoginThrottleLimits): LoginThrottle {
  const refused = redisOutage(log, "login throttle", "password checks refused (503)");
  const uncleared = redisOutage(log, "login throttle", "counters not given back");
  const bestEffort = (work: Promise<unknown>) => work.then(() => {}, (error) => uncleared.report(error));
  const hash = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 32);
  const accountKey = (email: string) => `ratelimit:auth:login:account:${hash(email)}`;
  const counters = (email: string, ip: string): [Counter, Counter, Counter] => [
    { name: "pair", spec: limits.perAccountIp, key: `ratelimit:auth:login:pair:${hash(`${email}\n${ip}`)}` },
    { name: "ip", spec: limits.perIp, key: `ratelimit:auth:login:ip:${hash(ip)}` },
    { name: "account", spec: limits.perAccount, key: accountKey(email) },
  ];
  const take = async (c: Counter): Promise<Taken> => {
    let reply: [number, number, number];
    try {
      reply = await redis.eval<[string, string], [number, number, number]>(
        TAKE,
        [c.key],
        [String(c.spec.limit), String(c.spec.windowMs)],
      );
    } catch (error) {
      refused.report(error);
      throw redisUnavailable(
        "El inicio de sesión no está disponible en este momento. Probá de nuevo en unos minutos.",
      );
    }
    const [ok, count, ttlMs] = reply;
    return { ok: ok === 1, count, ttlMs };
  };
  const giveBack = (c: Counter) => redis.eval<[], number>(GIVE_BACK, [c.key], []);

  return {
    async begin(email, ip) {
      const all = counters(email, ip);
      const taken: Taken[] = [];
      for (const counter of all) {
        const result = await take(counter);
        if (!result.ok) {
          // A refused attempt checked no password: it counts nowhere.
          await bestEffort(Promise.all(all.slice(0, taken.length).map(giveBack)));
          const now = Date.now();
          const refusal = { limit: counter.spec.limit, reset: now + result.ttlMs };
          throw tooManyAttempts(refusal, now, counter.name === "account" ? ceilingMessage : undefined);
        }
        taken.push(result);
      }
      const [pair, ipCounter, account] = all;
      return {
        async succeeded() {
          await bestEffort(Promise.all([redis.del(pair.key), giveBack(ipCounter), giveBack(account)]));
        },
        failed() {
          const ceiling = taken[2];
          return {
            ceilingReached: ceiling.count === account.spec.limit,
            retryAfterSeconds: Math.max(1, Math.ceil(ceiling.ttlMs / 1000)),
          };
        },
      };
    },
    async clearAccount(email) {
      await bestEffort(redis.del(accountKey(email)));
    },
  };
}
