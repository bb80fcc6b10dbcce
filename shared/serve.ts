import type { Hono } from "hono";
import { loadConfigFromEnv } from "./config.ts";
import { type FunctionName } from "./function-names.ts";
import type { AppEnv } from "./http.ts";
import { createPlatform, type Platform } from "./platform.ts";

/**
 * Boots one function: configuration (fails naming the bad variable), platform, HTTP server.
 * `PORT` matters only when run alone (`deno run -A functions/<fn>/index.ts`); Supabase's edge
 * runtime assigns its own.
 *
 * @example
 * serveFunction("users", createApp); // functions/users/index.ts
 */
export function serveFunction(fn: FunctionName, createApp: (platform: Platform) => Hono<AppEnv>) {
  const config = loadConfigFromEnv();
  const platform = createPlatform(config, fn);
  const server = Deno.serve({ port: config.PORT, onListen: () => {} }, createApp(platform).fetch);
  platform.log.info("listening", { port: config.PORT, version: config.APP_VERSION });
  const shutdown = async () => {
    await server.shutdown();
    await platform.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", shutdown);
  Deno.addSignalListener("SIGINT", shutdown);
  return server;
}
