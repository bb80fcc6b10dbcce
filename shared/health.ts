/** A dependency probe: resolves when the dependency answers, rejects (or times out) otherwise. */
export type HealthCheck = () => Promise<unknown>;
export type CheckResult = { status: "ok" | "error"; latency_ms: number; error?: string };

const TIMEOUT_MS = 3000;

/**
 * Runs every probe in parallel with a timeout; the error text is a short reason, never a secret.
 *
 * @example
 * const { healthy, checks } = await runHealthChecks({ db: () => db.ping() });
 */
export async function runHealthChecks(
  probes: Record<string, HealthCheck>,
): Promise<{ healthy: boolean; checks: Record<string, CheckResult> }> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      const started = performance.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          probe(),
          new Promise((_, reject) => timer = setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS)),
        ]);
        return [name, { status: "ok", latency_ms: elapsed(started) }] as const;
      } catch (error) {
        const reason = error instanceof Error ? error.message.slice(0, 120) : "failed";
        return [name, { status: "error", latency_ms: elapsed(started), error: reason }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checks = Object.fromEntries(entries) as Record<string, CheckResult>;
  return { healthy: entries.every(([, r]) => r.status === "ok"), checks };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
