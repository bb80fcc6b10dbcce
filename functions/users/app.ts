import { createServiceApp } from "../../shared/platform.ts";
import type { UsersPlatform } from "./config.ts";
import type { ServiceApp } from "../../shared/route.ts";
import { registerAdminMetricsRoutes } from "./routes/admin-metrics.ts";
import { registerAdminUserRoutes } from "./routes/admin-users.ts";
import { registerAvatarRoutes } from "./routes/avatar.ts";
import { registerChatBanRoutes } from "./routes/chat-ban.ts";
import { registerMeRoutes } from "./routes/me.ts";

/** `users` function: User profiles, avatars and admin user management. */
export function createApp(platform: UsersPlatform): ServiceApp {
  const app = createServiceApp(platform);
  registerMeRoutes(app, platform);
  registerAvatarRoutes(app, platform);
  registerAdminUserRoutes(app, platform);
  registerAdminMetricsRoutes(app, platform);
  registerChatBanRoutes(app, platform);
  return app;
}
