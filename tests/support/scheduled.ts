import assert from "node:assert/strict";
import { testEnv } from "./env.ts";

/**
 * A route only a schedule may call (shared/scheduled-route.ts), at the function's own URL under the
 * stack's functions host: 401 without the secret or with a wrong one; the body of one authorized run.
 *
 * @example
 * const report = await runAsScheduler("/chat-offers/events/timers");
 */
export async function runAsScheduler(path: string): Promise<Record<string, unknown>> {
  const url = `${testEnv().FUNCTIONS_PUBLIC_URL}${path}`;
  for (
    const headers of [{}, { authorization: "Bearer wrong-secret-wrong-secret" }] as Record<string, string>[]
  ) {
    const res = await fetch(url, { method: "POST", headers });
    assert.equal(res.status, 401, `${path} without the scheduler's secret`);
    assert.equal((await res.json()).code, "unauthorized");
  }
  const ok = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${testEnv().RELAY_SWEEP_SECRET}` },
  });
  assert.equal(ok.status, 200, path);
  return await ok.json();
}
