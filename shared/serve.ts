import type { Hono } from "hono";
import { type ConfigOf, loadConfig, type Settings } from "./config.ts";
import { type FunctionName } from "./function-names.ts";
import type { AppEnv } from "./app-env.ts";
import type { Logger } from "./log.ts";
import { createPlatform, type Platform } from "./platform.ts";

type Handler = (request: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;

/**
 * Serves a handler the way its runtime wants. On Supabase's edge runtime (it defines
 * `EdgeRuntime`) the platform owns the port and the worker's lifecycle: plain `Deno.serve`.
 * Run alone (`deno run -A functions/<fn>/index.ts`) it listens on `port` and shuts down cleanly
 * on SIGINT/SIGTERM, closing connections.
 *
 * @example
 * serve(app.fetch, { port: 8001, log, close: () => platform.close() });
 */
export function serve(handler: Handler, options: { port: number; log: Logger; close: () => Promise<void> }) {
  if ((globalThis as { EdgeRuntime?: unknown }).EdgeRuntime !== undefined) {
    Deno.serve(handler);
    return;
  }
  const server = Deno.serve({ port: options.port, onListen: () => {} }, handler);
  options.log.info("listening", { port: options.port });
  const shutdown = async () => {
    await server.shutdown();
    await options.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", shutdown);
  Deno.addSignalListener("SIGINT", shutdown);
}

/**
 * Boots one service function: the platform's settings and its own, parsed from the environment
 * (fails naming the bad variable), then the platform and the server.
 *
 * @example
 * serveFunction("users", USERS_SETTINGS, createApp); // functions/users/index.ts
 */
export function serveFunction<S extends Settings>(
  fn: FunctionName,
  settings: S,
  createApp: (platform: Platform<ConfigOf<S>>) => Hono<AppEnv>,
) {
  const platform = createPlatform(loadConfig(Deno.env.toObject(), settings), fn);
  serve(createApp(platform).fetch, { port: platform.config.PORT, log: platform.log, close: platform.close });
}
