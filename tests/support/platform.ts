import type { InlineGatewayConfig } from "../../functions/gateway/config.ts";
import type { FunctionName } from "../../shared/function-names.ts";
import { createPlatform, type Platform } from "../../shared/platform.ts";
import { testConfig, testEnv, testFunctionEnv } from "./env.ts";
import { fileRecorder, scannedLogging } from "./secret-recorder.ts";
import { createSecretScanner } from "./secret-scan.ts";

/**
 * A platform a test drives directly (relay, event handlers, a function's app in-process), with the
 * run's configuration plus `overrides`, whose every log line is scanned for secrets like the
 * gateway's (issue 14): it logs at every level into the scanning sink, which shows only LOG_LEVEL.
 *
 * @example
 * const platform = testPlatform("auth", { QSTASH_URL: "http://127.0.0.1:1" });
 */
export function testPlatform(
  fn: FunctionName,
  overrides: Record<string, string> = {},
): Platform<InlineGatewayConfig> {
  const scanner = createSecretScanner({ ...testEnv(), ...overrides });
  const logging = scannedLogging(
    scanner,
    fileRecorder(testEnv().SECRET_SCAN_DIR),
    testFunctionEnv(overrides).LOG_LEVEL,
  );
  return createPlatform(testConfig({ ...overrides, LOG_LEVEL: logging.level }), fn, logging.sink);
}
