import { createEmailSender } from "../../shared/email.ts";
import { mountEventReceiver } from "../../shared/event-receiver.ts";
import { createServiceApp } from "../../shared/platform.ts";
import type { NotificationsPlatform } from "./config.ts";
import { createFcmSender } from "../../shared/push.ts";
import type { ServiceApp } from "../../shared/route.ts";
import { createDeliveryDispatcher } from "./deliveries.ts";
import { createNotificationHandlers } from "./notify.ts";
import { registerAdminEventRoutes } from "./routes/admin-events.ts";
import { registerDeviceTokenRoutes } from "./routes/device-tokens.ts";
import { registerNotificationRoutes } from "./routes/notifications.ts";
import { registerPreferenceRoutes } from "./routes/preferences.ts";
import { registerSweepRoute } from "./routes/sweep.ts";

/**
 * `notifications` function: subscribes to every event (`POST /notifications/events`), turns them
 * into in-app notifications, e-mails and pushes, serves each person's notification center,
 * preferences and device tokens, and runs the relay sweep on schedule.
 */
export function createApp(platform: NotificationsPlatform): ServiceApp {
  const app = createServiceApp(platform);
  const deliveries = createDeliveryDispatcher({
    sql: platform.db.sql,
    log: platform.log,
    config: platform.config,
    email: createEmailSender(platform.config),
    push: createFcmSender(platform.config),
  });
  platform.drainOnClose(deliveries.drain);

  mountEventReceiver(app, platform, createNotificationHandlers(platform.config, deliveries));
  registerSweepRoute(app, platform, deliveries);
  // Fixed paths before `/notifications/{id}`.
  registerPreferenceRoutes(app, platform);
  registerDeviceTokenRoutes(app, platform);
  registerNotificationRoutes(app, platform);
  registerAdminEventRoutes(app, platform);
  return app;
}
