import { appendFileSync, mkdirSync } from "node:fs";
import { atLeast, LOG_LEVELS, type LogLevel, type LogSink } from "../../shared/log.ts";
import { type Hit, scanLogLine, scanResponse, type SecretScanner } from "./secret-scan.ts";

/**
 * Where hits of the secret scan go. `deno task test` sets SECRET_SCAN_DIR; each test process
 * appends to a file of its own there, and the task fails the run when any file has a line.
 *
 * @example
 * const recorder = fileRecorder(Deno.env.get("SECRET_SCAN_DIR"));
 * recorder.record([{ kind: "cbu", excerpt: "2850590940…", where: "GET /x → 200 (body)" }]);
 */
export type Recorder = { record(hits: Hit[]): void };

export function fileRecorder(dir: string | undefined): Recorder {
  const file = dir ? `${dir}/hits-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.jsonl` : undefined;
  return {
    record(hits) {
      if (!hits.length) return;
      const lines = hits.map((h) => JSON.stringify({ ...h, test: Deno.mainModule })).join("\n") + "\n";
      if (!file) {
        console.error(`secret scan: ${lines}`);
        return;
      }
      mkdirSync(dir!, { recursive: true });
      appendFileSync(file, lines);
    },
  };
}

/** `handler` whose every response is scanned (a clone; the caller reads the original). */
export function scanningHandler(
  handler: (request: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>,
  scanner: SecretScanner,
  recorder: Recorder,
): (request: Request, info: Deno.ServeHandlerInfo) => Promise<Response> {
  // `info` is passed on: the app reads the peer's address from it (rate limits, trusted hops).
  return async (request, info) => {
    const response = await handler(request, info);
    const body = await response.clone().text().catch(() => "");
    recorder.record(scanResponse(scanner, {
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      headers: response.headers,
      body,
    }));
    return response;
  };
}

/**
 * A log sink that scans each line, whatever its level, then hands on those at `display` or above
 * (to stdout by default).
 */
export function scanningSink(
  scanner: SecretScanner,
  recorder: Recorder,
  display: LogLevel,
  // Taken when the sink is made, as tests that capture the output expect.
  next: (line: string) => void = console.log,
): LogSink {
  return (line, level) => {
    recorder.record(scanLogLine(scanner, line));
    if (atLeast(level, display)) next(line);
  };
}

/**
 * How the stack under test logs (issue 14: every log line is scanned): loggers at `debug`, so
 * every line is produced and scanned, and only lines at `display` (the run's LOG_LEVEL) or above
 * are shown, so the output stays quiet.
 *
 * @example
 * const { level, sink } = scannedLogging(createSecretScanner(env), fileRecorder(dir), env.LOG_LEVEL);
 * const deps = createGatewayDeps({ ...env, LOG_LEVEL: level }, sink);
 */
export function scannedLogging(
  scanner: SecretScanner,
  recorder: Recorder,
  display: string | undefined,
  next?: (line: string) => void,
): { level: LogLevel; sink: LogSink } {
  const shown = display ?? "warn";
  if (!(LOG_LEVELS as readonly string[]).includes(shown)) {
    throw new Error(`LOG_LEVEL "${shown}" is not a level`);
  }
  return { level: "debug", sink: scanningSink(scanner, recorder, shown as LogLevel, next) };
}
