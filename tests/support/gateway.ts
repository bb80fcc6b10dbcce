import { createApp } from "../../functions/gateway/app.ts";
import { createGatewayDeps } from "../../functions/gateway/wiring.ts";
import { testEnv, testFunctionEnv } from "./env.ts";
import { fileRecorder, scanningHandler, scanningSink } from "./secret-recorder.ts";
import { createSecretScanner } from "./secret-scan.ts";

/**
 * The whole API as clients see it: the gateway in inline mode, served over real HTTP on a free
 * port, started once per test file and shared by its tests.
 */
export type TestApi = {
  url: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** JSON request; answers status, headers and parsed body (tests assert on its shape). */
  // deno-lint-ignore no-explicit-any
  json<T = any>(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: T }>;
};

const started = new Map<string, Promise<TestApi>>();

/** The API with the run's configuration, or with `overrides` (one server per distinct set). */
export function api(overrides: Record<string, string> = {}): Promise<TestApi> {
  const key = JSON.stringify(overrides);
  let server = started.get(key);
  if (!server) {
    server = start(overrides);
    started.set(key, server);
  }
  return server;
}

async function start(overrides: Record<string, string>): Promise<TestApi> {
  // Every response and log line is scanned for secrets (issue 14); `deno task test` fails on a hit.
  const scanner = createSecretScanner({ ...testEnv(), ...overrides });
  const recorder = fileRecorder(testEnv().SECRET_SCAN_DIR);
  const deps = await createGatewayDeps(testFunctionEnv(overrides), scanningSink(scanner, recorder));
  const handler = scanningHandler(createApp(deps).fetch, scanner, recorder);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  const url = `http://127.0.0.1:${server.addr.port}`;
  globalThis.addEventListener("unload", () => void server.shutdown());
  const doFetch = (path: string, init?: RequestInit) => fetch(`${url}${path}`, init);
  return {
    url,
    fetch: doFetch,
    async json(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers["content-type"] ??= "application/json";
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const response = await doFetch(path, {
        method,
        headers,
        body: options.body === undefined
          ? undefined
          : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch { /* not JSON: keep the text */ }
      // deno-lint-ignore no-explicit-any
      return { status: response.status, headers: response.headers, body: body as any };
    },
  };
}
