/**
 * A circuit breaker: after `failuresToOpen` failures in a row it opens, and for `openMs` every call
 * fails at once with a `CircuitOpenError` instead of waiting on a dependency that does not answer.
 * Then one call goes through as a probe (half-open; the others still fail at once): its success
 * closes the breaker, its failure opens it again. Only errors `isFailure` accepts count (a timeout,
 * a refused connection); any other outcome is an answer, which resets the count.
 *
 * @example
 * const breaker = createCircuitBreaker({ name: "redis", failuresToOpen: 3, openMs: 5000, isFailure });
 * await breaker.run(() => fetch(url)); // throws CircuitOpenError at once while open
 */
export type CircuitState = "closed" | "open" | "half-open";
export type CircuitBreaker = {
  run<T>(call: () => Promise<T>): Promise<T>;
  state(): CircuitState;
};
export type CircuitEvents = {
  /** Closed → open, with the failure that tripped it (not called again while probes keep failing). */
  opened?(info: { failures: number; error: unknown }): void;
  /** A probe failed: open again for `openMs`. */
  probeFailed?(info: { error: unknown }): void;
  /** A probe was answered, `openForMs` after the breaker first opened. */
  closed?(info: { openForMs: number }): void;
};

export class CircuitOpenError extends Error {
  constructor(name: string, readonly reason: string) {
    super(`${name} circuit open: ${reason}`);
    this.name = "CircuitOpenError";
  }
}

export function createCircuitBreaker(
  options: {
    name: string;
    failuresToOpen: number;
    openMs: number;
    isFailure(error: unknown): boolean;
    now?: () => number;
  } & CircuitEvents,
): CircuitBreaker {
  const now = options.now ?? Date.now;
  let failures = 0;
  let lastError = "";
  /** When the breaker first opened (this outage) and when it last (re)opened; null when closed. */
  let outage: { since: number; openedAt: number } | null = null;
  let probing = false;

  const describe = (error: unknown) => error instanceof Error ? error.message : String(error);
  const stateAt = (t: number): CircuitState =>
    outage === null ? "closed" : probing || t - outage.openedAt >= options.openMs ? "half-open" : "open";

  async function closedCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      if (outage === null) failures = 0;
      return result;
    } catch (error) {
      // Calls started before the breaker opened may end after: only the probe decides then.
      if (outage !== null) throw error;
      if (!options.isFailure(error)) {
        failures = 0;
        throw error;
      }
      failures += 1;
      lastError = describe(error);
      if (failures >= options.failuresToOpen) {
        const t = now();
        outage = { since: t, openedAt: t };
        options.opened?.({ failures, error });
      }
      throw error;
    }
  }

  async function probe<T>(call: () => Promise<T>): Promise<T> {
    probing = true;
    let answered = true;
    try {
      return await call();
    } catch (error) {
      answered = !options.isFailure(error);
      if (!answered) {
        lastError = describe(error);
        outage = { since: outage!.since, openedAt: now() };
        options.probeFailed?.({ error });
      }
      throw error;
    } finally {
      probing = false;
      if (answered) {
        const openForMs = now() - outage!.since;
        outage = null;
        failures = 0;
        options.closed?.({ openForMs });
      }
    }
  }

  return {
    run(call) {
      if (outage === null) return closedCall(call);
      if (stateAt(now()) === "half-open" && !probing) return probe(call);
      return Promise.reject(
        new CircuitOpenError(options.name, `${failures} failures in a row, last: ${lastError}`),
      );
    },
    state: () => stateAt(now()),
  };
}
