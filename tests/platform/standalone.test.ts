import assert from "node:assert/strict";
import { startFunctionProcess } from "../../scripts/bench/processes.ts";
import { FUNCTION_NAMES } from "../../shared/function-names.ts";
import { it, testEnv } from "../support/env.ts";

const root = testEnv().TEST_ROOT ?? new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

it("each function serves alone (deno run -A functions/<fn>/index.ts) and reports healthy", async () => {
  const processes = await Promise.all(FUNCTION_NAMES.map((fn) => startFunctionProcess(root, fn, testEnv())));
  try {
    for (const [i, fn] of FUNCTION_NAMES.entries()) {
      const path = fn === "gateway" ? "/health" : `/${fn}/health`;
      const response = await fetch(`${processes[i].url}${path}`);
      const body = await response.json();
      assert.equal(response.status, 200, fn);
      if (fn !== "gateway") {
        assert.equal(body.service, fn);
        assert.equal(body.status, "healthy");
        assert.equal(body.checks.db.status, "ok");
      }
    }
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }
});

it("a function started without its configuration fails at boot naming the variables", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}/functions/users/index.ts`],
    cwd: root,
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "/root" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.notEqual(output.code, 0);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.match(stderr, /DATABASE_URL/);
  assert.match(stderr, /JWT_PUBLIC_JWKS/);
});
