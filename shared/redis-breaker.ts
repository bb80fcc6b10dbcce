import { errors, Redis, type RedisConfigNodejs, type Requester, type UpstashRequest } from "@upstash/redis";
import { type CircuitBreaker, createCircuitBreaker } from "./circuit-breaker.ts";
import type { Logger } from "./log.ts";

/**
 * The platform's Upstash client, every HTTP round trip of which goes through a circuit breaker
 * (./circuit-breaker.ts). While Upstash hangs each command waits out the timeout (2 s) before its
 * use takes its outage path (README, "When a dependency fails"); after `failuresToOpen` such
 * failures in a row the breaker opens, and for `openMs` commands fail at once with a
 * `CircuitOpenError`, so every use takes that path without the wait: the API stays fast. Then one
 * command probes Upstash; its answer closes the breaker.
 *
 * A failure is Upstash not answering: a timeout, a refused or reset connection (the SDK retries
 * those twice within the same 2 s). An error Upstash answers (WRONGTYPE, NOSCRIPT, a 5xx body) is
 * an answer: it came back fast, which is all the breaker is for.
 *
 * @example
 * const redis = createRedisClient({ url, token }, log);
 * await redis.get("k"); // CircuitOpenError at once while the breaker is open
 */
export const REDIS_BREAKER = { failuresToOpen: 3, openMs: 5000 };

/** Longest a Redis command may take; Upstash answers in a few ms. */
const REDIS_COMMAND_TIMEOUT_MS = 2000;

export function createRedisClient(
  connection: { url: string; token: string },
  log: Logger,
  options: { now?: () => number } = {},
): Redis {
  const breaker = createCircuitBreaker({
    name: "redis",
    ...REDIS_BREAKER,
    isFailure: (error) => !(error instanceof errors.UpstashError),
    now: options.now,
    opened: ({ failures, error }) =>
      log.warn("redis circuit opened", {
        failures,
        open_ms: REDIS_BREAKER.openMs,
        error: error instanceof Error ? error.message : String(error),
      }),
    probeFailed: () => log.debug("redis circuit probe failed", { open_ms: REDIS_BREAKER.openMs }),
    closed: ({ openForMs }) => log.info("redis circuit closed", { open_for_ms: openForMs }),
  });
  return new BreakerRedis({
    ...connection,
    // A hung Upstash fails after the timeout (the SDK's default would wait forever), and refused
    // connections are retried twice within it (not for 4 s, the default): the signal is made once
    // per request, and a timed-out request is not retried.
    signal: () => AbortSignal.timeout(REDIS_COMMAND_TIMEOUT_MS),
    retry: { retries: 2, backoff: (retry) => 50 * 2 ** retry },
  }, breaker);
}

/**
 * The SDK's Redis with its transport (a `Requester`) behind the breaker: commands, pipelines and
 * auto-pipelined batches all send through `this.client`, which the SDK keeps protected.
 */
class BreakerRedis extends Redis {
  constructor(config: RedisConfigNodejs, breaker: CircuitBreaker) {
    super(config);
    this.client = behindBreaker(this.client, breaker);
  }
}

/** `transport` with each request run by `breaker`; the read-your-writes state stays the transport's. */
export function behindBreaker(transport: Requester, breaker: CircuitBreaker): Requester {
  return {
    get readYourWrites() {
      return transport.readYourWrites;
    },
    set readYourWrites(value) {
      transport.readYourWrites = value;
    },
    get upstashSyncToken() {
      return transport.upstashSyncToken;
    },
    set upstashSyncToken(value) {
      transport.upstashSyncToken = value;
    },
    request<TResult>(request: UpstashRequest) {
      return breaker.run(() => transport.request<TResult>(request));
    },
  };
}
