import type { Hono } from "hono";
import { mountEventReceiver } from "../../shared/event-receiver.ts";
import type { AppEnv } from "../../shared/http.ts";
import { createApiDoc } from "../../shared/openapi.ts";
import { createServiceApp, type Platform } from "../../shared/platform.ts";
import { EVENT_HANDLERS } from "./event-handlers.ts";
import { registerKycRoutes } from "./routes/kyc.ts";
import { registerPortfolioRoutes } from "./routes/portfolio.ts";
import { registerProfileRoutes } from "./routes/profile.ts";
import { registerPublicRoutes } from "./routes/public.ts";
import { registerSearchRoutes } from "./routes/search.ts";
import { registerServiceRoutes } from "./routes/services.ts";
import { registerTradeRoutes } from "./routes/trades.ts";

/** `professionals` function: Professional profiles, trades (oficios), KYC, portfolio, public profiles and geospatial search. */
export function createApp(platform: Platform): Hono<AppEnv> {
  const doc = createApiDoc();
  const app = createServiceApp(platform, doc);
  registerProfileRoutes(app, platform, doc);
  registerTradeRoutes(app, platform, doc);
  registerServiceRoutes(app, platform, doc);
  registerKycRoutes(app, platform, doc);
  registerPortfolioRoutes(app, platform, doc);
  registerPublicRoutes(app, platform, doc);
  registerSearchRoutes(app, platform, doc);
  mountEventReceiver(app, platform, EVENT_HANDLERS);
  return app;
}
