import { createServiceApp } from "../../shared/platform.ts";
import type { AuthPlatform } from "./config.ts";
import type { ServiceApp } from "../../shared/route.ts";
import { createAuthDeps } from "./deps.ts";
import { registerAccountRoutes } from "./routes/accounts.ts";
import { registerEmailVerificationRoutes } from "./routes/email-verification.ts";
import { registerPageRoutes } from "./routes/pages.ts";
import { registerPasswordRoutes } from "./routes/passwords.ts";
import { registerSessionRoutes } from "./routes/sessions.ts";
import { registerSweepRoute } from "./routes/sweep.ts";

/** `auth` function: Registration, login, tokens, sessions and passwords (credentials are owned here). */
export function createApp(platform: AuthPlatform): ServiceApp {
  const app = createServiceApp(platform);
  const deps = createAuthDeps(platform);
  registerAccountRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerPasswordRoutes(app, deps);
  registerEmailVerificationRoutes(app, deps);
  registerPageRoutes(app, deps);
  registerSweepRoute(app, deps);
  return app;
}
