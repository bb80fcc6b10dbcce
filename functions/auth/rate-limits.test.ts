import assert from "node:assert/strict";
import { parseRateLimit } from "../../shared/config-parsers.ts";
import { tooManyAttempts } from "./rate-limits.ts";

Deno.test("a rate-limit spec reads as <requests>/<window>", () => {
  assert.deepEqual(parseRateLimit("10/15m"), { limit: 10, windowMs: 900_000 });
  assert.deepEqual(parseRateLimit("5 / 1h"), { limit: 5, windowMs: 3_600_000 });
  assert.deepEqual(parseRateLimit("3/30s"), { limit: 3, windowMs: 30_000 });
  for (const bad of ["10", "10/15", "0/1m", "ten/1m", "10/1w"]) assert.throws(() => parseRateLimit(bad), bad);
});

Deno.test("a refusal is 429 with Retry-After and the X-RateLimit-* headers", () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const error = tooManyAttempts({ limit: 10, reset: now + 90_500 }, now);
  assert.equal(error.status, 429);
  assert.deepEqual(error.extra.headers, {
    "retry-after": "91",
    "x-ratelimit-limit": "10",
    "x-ratelimit-remaining": "0",
    "x-ratelimit-reset": String(Math.ceil((now + 90_500) / 1000)),
  });
  assert.match(error.detail, /91 segundos/);
  assert.match(tooManyAttempts({ limit: 1, reset: now + 600_000 }, now).detail, /10 minutos/);
});
