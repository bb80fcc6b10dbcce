import type { InlineGatewayConfig } from "../../functions/gateway/config.ts";
import type { FunctionName } from "../../shared/function-names.ts";
import type { LogLevel, LogSink } from "../../shared/log.ts";
import { createPlatform, type Platform } from "../../shared/platform.ts";
import { testConfig, testEnv, testFunctionEnv } from "./env.ts";
import { fileRecorder, type Recorder, scannedLogging } from "./secret-recorder.ts";
import { createSecretScanner, type SecretScanner } from "./secret-scan.ts";

/**
 * How code under test logs (issue 14, "Secrets never leak"): at every level into a sink that scans
 * each line for the run's secrets (plus `overrides`'), hits to `recorder`, and shows only those at
 * LOG_LEVEL (or hands them to `shown`); the scanner too, for responses.
 */
export function testLogging(
  overrides: Record<string, string>,
  recorder: Recorder = fileRecorder(testEnv().SECRET_SCAN_DIR),
  shown?: (line: string) => void,
): { level: LogLevel; sink: LogSink; scanner: SecretScanner } {
  const scanner = createSecretScanner({ ...testEnv(), ...overrides });
  return { ...scannedLogging(scanner, recorder, testFunctionEnv(overrides).LOG_LEVEL, shown), scanner };
}

/**
 * A platform a test drives directly (relay, event handlers, a function's app in-process), with the
 * run's configuration plus `overrides`, logging like the gateway tests reach (`testLogging`).
 *
 * @example
 * const platform = testPlatform("auth", { QSTASH_URL: "http://127.0.0.1:1" });
 */
export function testPlatform(
  fn: FunctionName,
  overrides: Record<string, string> = {},
): Platform<InlineGatewayConfig> {
  const logging = testLogging(overrides);
  return createPlatform(testConfig({ ...overrides, LOG_LEVEL: logging.level }), fn, logging.sink);
}
