import assert from "node:assert/strict";
import { atLeast, type LogLevel } from "../../shared/log.ts";
import { it, testFunctionEnv } from "../support/env.ts";
import { startGateway } from "../support/gateway.ts";
import type { Hit } from "../support/secret-scan.ts";
import { signTestToken } from "../support/tokens.ts";

// Issue 14: every log line of the stack under test is scanned, not only those the run's LOG_LEVEL
// (warn) shows. The gateway `api()` starts, with its hits kept here instead of failing the run.

it("an info line carrying a secret is caught, though the run shows only warn and above", async () => {
  const hits: Hit[] = [];
  const shown: string[] = [];
  const gw = startGateway({}, { record: (found) => hits.push(...found) }, (line) => shown.push(line));
  // The access line (info) logs the path; a signed token in it is a leak the scan must see.
  const token = await signTestToken({ sub: crypto.randomUUID() });
  const response = await gw.fetch(`/api/v1/leak-check/${token}`);
  await response.body?.cancel();
  const logged = hits.filter((h) => h.where.startsWith("log: "));
  assert.ok(
    logged.some((h) => h.kind === "access-token" && h.where.includes('msg="request"')),
    JSON.stringify(hits),
  );
  const display = testFunctionEnv().LOG_LEVEL as LogLevel;
  assert.ok(shown.every((line) => atLeast(JSON.parse(line).level, display)), shown.join("\n"));
  if (display !== "debug" && display !== "info") {
    assert.ok(!shown.some((line) => line.includes(token)), "the info line stays off the output");
  }
});
