import { INLINE_GATEWAY_SETTINGS, type InlineGatewayConfig } from "../../functions/gateway/config.ts";
import { loadConfig } from "../../shared/config.ts";

/** The variables `deno task test` exported for this run (database, Redis, keys, stand-ins). */
export function testEnv(): Record<string, string> {
  return Deno.env.toObject();
}

/** The environment tests run functions with: this run's stack, quieter logs, then `overrides`. */
export function testFunctionEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return { LOG_LEVEL: "warn", ...testEnv(), ...overrides };
}

/** Every function's settings (as the gateway's inline mode parses them) from the test environment. */
export function testConfig(overrides: Record<string, string> = {}): InlineGatewayConfig {
  return loadConfig(testFunctionEnv(overrides), INLINE_GATEWAY_SETTINGS);
}

/** A free TCP port on loopback (bound then released). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * Deno.test without the op/resource sanitizers, for integration tests. They share one gateway
 * server and one database pool per file (started by the first test, closed at unload), and the
 * relay publishes after commit in the background: resources that by design outlive a single test,
 * which the sanitizers would report as leaks. Unit tests use plain Deno.test, sanitizers on.
 */
export function it(name: string, fn: () => Promise<void> | void) {
  Deno.test({ name, fn, sanitizeOps: false, sanitizeResources: false });
}
