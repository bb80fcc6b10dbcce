/**
 * `deno task dev` — the whole stack on this machine: PostgreSQL + PostGIS, migrations, seed data,
 * Redis (Upstash REST), the SaaS stand-ins, and the gateway on :8000 with every function inline.
 * Ctrl-C stops everything this run started; the next run reuses the cluster and its data.
 * `--fresh` drops and recreates the dev database; `--no-demo` skips the demo professionals.
 */
import { createApp } from "../functions/gateway/app.ts";
import { createGatewayDeps } from "../functions/gateway/wiring.ts";
import { StackError, startStack } from "./local/stack.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const log = (msg: string) => console.log(msg);
const started = performance.now();

console.log("ConectarProfesionales — local stack");
const stack = await startStack({
  root,
  database: "conectar_dev",
  reset: Deno.args.includes("--fresh"),
  databaseUrl: Deno.env.get("DATABASE_URL"),
  fixedPorts: true,
  redisDb: 0,
  // Demo professionals around Buenos Aires, so search answers something (`--no-demo` to skip).
  seedArgs: Deno.args.includes("--no-demo") ? [] : ["--demo"],
  log,
}).catch((error) => {
  if (!(error instanceof StackError)) console.error(error);
  console.error(
    "The local stack could not start (see above). After fixing the cause, run `deno task dev` again.",
  );
  Deno.exit(1);
});

const port = Number(Deno.env.get("PORT") ?? 8000);
const env = { ...Deno.env.toObject(), ...stack.env, PORT: String(port) };
// Lets any function run alone against this stack: deno run -A --env-file=.local/env functions/<fn>/index.ts
await Deno.writeTextFile(
  `${root}/.local/env`,
  Object.entries(stack.env).map(([k, v]) => `${k}='${v}'`).join("\n") + "\n",
  { mode: 0o600 },
);

const deps = createGatewayDeps(env);
const server = Deno.serve({ port, hostname: "0.0.0.0", onListen: () => {} }, createApp(deps).fetch);
log(
  `✓ gateway on http://localhost:${port} (${deps.config.GATEWAY_MODE} mode) — ready in ${
    Math.round(performance.now() - started)
  } ms`,
);
log(
  `  health: http://localhost:${port}/health   docs: http://localhost:${port}/docs   env for single functions: .local/env`,
);
log("  Ctrl-C to stop");

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  log("\nstopping…");
  await server.shutdown();
  await deps.close();
  await stack.stop();
  log("stopped");
  Deno.exit(0);
}
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
