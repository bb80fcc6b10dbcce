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

/** Deno.test without the op/resource sanitizers, for tests that share a server across a file. */
export function it(name: string, fn: () => Promise<void> | void) {
  Deno.test({ name, fn, sanitizeOps: false, sanitizeResources: false });
}
