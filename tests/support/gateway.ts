import { createApp } from "../../functions/gateway/app.ts";
import { createGatewayDeps } from "../../functions/gateway/wiring.ts";
import { testEnv, testFunctionEnv } from "./env.ts";
import { fileRecorder, type Recorder, scanningHandler } from "./secret-recorder.ts";
import { testLogging } from "./platform.ts";
import { httpApi, type TestApi } from "./http-api.ts";

export type { TestApi };

const started = new Map<string, Promise<TestApi>>();

/**
 * The whole API as clients see it: the gateway in inline mode, served over real HTTP on a free
 * port, started once per test file and shared by its tests — with the run's configuration, or with
 * `overrides` (one server per distinct set).
 */
export function api(overrides: Record<string, string> = {}): Promise<TestApi> {
  const key = JSON.stringify(overrides);
  let server = started.get(key);
  if (!server) {
    server = Promise.resolve(startGateway(overrides, fileRecorder(testEnv().SECRET_SCAN_DIR)));
    started.set(key, server);
  }
  return server;
}

/**
 * A gateway of its own, as `api` starts it: every response and log line (every level; stdout shows
 * those at LOG_LEVEL, or `shown` gets them) scanned for secrets (issue 14), hits to `recorder`
 * (`deno task test` fails on a hit in SECRET_SCAN_DIR).
 */
export function startGateway(
  overrides: Record<string, string>,
  recorder: Recorder,
  shown?: (line: string) => void,
): TestApi {
  const logging = testLogging(overrides, recorder, shown);
  const deps = createGatewayDeps(
    { ...testFunctionEnv(overrides), LOG_LEVEL: logging.level },
    logging.sink,
  );
  const handler = scanningHandler(createApp(deps).fetch, logging.scanner, recorder);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  globalThis.addEventListener("unload", () => void server.shutdown());
  return httpApi(`http://127.0.0.1:${server.addr.port}`);
}
