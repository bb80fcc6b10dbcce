import { serve } from "../../shared/serve.ts";
import { createApp } from "./app.ts";
import { createGatewayDeps } from "./wiring.ts";

const deps = createGatewayDeps(Deno.env.toObject());
serve(createApp(deps).fetch, { port: deps.config.PORT, log: deps.log, close: deps.close });
