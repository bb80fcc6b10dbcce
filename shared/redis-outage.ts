import { AppError } from "./errors.ts";
import type { Logger } from "./log.ts";

/**
 * What a use of Redis does when Redis does not answer (README, "When Redis is down"): it either
 * goes on without it (rate limits, and the session check, which asks Postgres instead) or
 * refuses with a 503 and changes nothing (revocations, login). Either way the outage is logged —
 * one warn line per use and minute, not one per request.
 *
 * @example
 * const outage = redisOutage(log, "rate limit ratelimit:users:directory", "allowed without counting");
 * try { await limiter.limit(key) } catch (error) { outage.report(error); return; }
 */
export type RedisOutage = { report(error: unknown): void };

const REPORT_EVERY_MS = 60_000;

export function redisOutage(log: Logger, use: string, consequence: string): RedisOutage {
  let lastReport = -Infinity;
  return {
    report(error) {
      const now = Date.now();
      if (now - lastReport < REPORT_EVERY_MS) return;
      lastReport = now;
      // The message without the command the SDK appends (keys, scripts): what failed is enough.
      const reason = error instanceof Error ? error.message.split(", command was")[0] : String(error);
      log.warn("redis unavailable", { use, consequence, error: reason });
    },
  };
}

/** The 503 of a use that must not go on without Redis. */
export function redisUnavailable(detail: string): AppError {
  return new AppError("service_unavailable", detail, { headers: { "retry-after": "30" } });
}
