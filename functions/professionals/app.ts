import { mountEventReceiver } from "../../shared/event-receiver.ts";
import { createServiceApp } from "../../shared/platform.ts";
import type { ProfessionalsPlatform } from "./config.ts";
import type { ServiceApp } from "../../shared/route.ts";
import { EVENT_HANDLERS } from "./event-handlers.ts";
import { registerKycRoutes } from "./routes/kyc.ts";
import { registerPortfolioRoutes } from "./routes/portfolio.ts";
import { registerProfileRoutes } from "./routes/profile.ts";
import { registerPublicRoutes } from "./routes/public.ts";
import { registerSearchRoutes } from "./routes/search.ts";
import { registerServiceRoutes } from "./routes/services.ts";
import { registerTradeRoutes } from "./routes/trades.ts";

/** `professionals` function: Professional profiles, trades (oficios), KYC, portfolio, public profiles and geospatial search. */
export function createApp(platform: ProfessionalsPlatform): ServiceApp {
  const app = createServiceApp(platform);
  registerProfileRoutes(app, platform);
  registerTradeRoutes(app, platform);
  registerServiceRoutes(app, platform);
  registerKycRoutes(app, platform);
  registerPortfolioRoutes(app, platform);
  registerPublicRoutes(app, platform);
  registerSearchRoutes(app, platform);
  mountEventReceiver(app, platform, EVENT_HANDLERS);
  return app;
}
