import { type Config, loadConfig } from "../../shared/config.ts";

/** The variables `deno task test` exported for this run (database, Redis, keys, stand-ins). */
export function testEnv(): Record<string, string> {
  return Deno.env.toObject();
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: "warn", ...testEnv(), ...overrides });
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
