import type { Hono } from "hono";
import type { AppEnv } from "../../shared/http.ts";
import { createApiDoc } from "../../shared/openapi.ts";
import { createServiceApp, type Platform } from "../../shared/platform.ts";
import { registerAdminMetricsRoutes } from "./routes/admin-metrics.ts";
import { registerAdminUserRoutes } from "./routes/admin-users.ts";
import { registerAvatarRoutes } from "./routes/avatar.ts";
import { registerMeRoutes } from "./routes/me.ts";

/** `users` function: User profiles, avatars and admin user management. */
export function createApp(platform: Platform): Hono<AppEnv> {
  const doc = createApiDoc();
  const app = createServiceApp(platform, doc);
  registerMeRoutes(app, platform, doc);
  registerAvatarRoutes(app, platform, doc);
  registerAdminUserRoutes(app, platform, doc);
  registerAdminMetricsRoutes(app, platform, doc);
  return app;
}
