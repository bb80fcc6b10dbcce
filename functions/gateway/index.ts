import { loadConfigFromEnv } from "../../shared/config.ts";
import { createApp } from "./app.ts";
import { createGatewayDeps } from "./wiring.ts";

const config = loadConfigFromEnv();
const deps = await createGatewayDeps(config);
Deno.serve({
  port: config.PORT,
  onListen: () => deps.log.info("listening", { port: config.PORT, mode: config.GATEWAY_MODE }),
}, createApp(deps).fetch);
