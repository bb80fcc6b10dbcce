/**
 * A functions host in a process of its own (`deno run -A tests/reliability/host-main.ts <port>
 * <sweep ms>`), so a fault test can SIGKILL it or point it at a database it restarts. It serves
 * every function at `http://127.0.0.1:<port>/functions/v1/<fn>/…`, as scripts/local/stack.ts's
 * host does. Configuration comes from the environment.
 */
import { startFunctionsHost } from "../../scripts/local/functions-host.ts";
import { fileRecorder, scannedLogging } from "../support/secret-recorder.ts";
import { createSecretScanner } from "../support/secret-scan.ts";

const [port, sweepMs] = Deno.args.map(Number);
const host = await startFunctionsHost(Deno.env.toObject(), {
  port,
  sweepIntervalMs: sweepMs,
  log: (msg) => console.error(msg),
  // Every line scanned, like the test run's own host; only LOG_LEVEL's (errors) shown.
  logging: (env) =>
    scannedLogging(createSecretScanner(env), fileRecorder(env.SECRET_SCAN_DIR), env.LOG_LEVEL),
});
Deno.addSignalListener("SIGTERM", async () => {
  await host.stop();
  Deno.exit(0);
});
