import type { Hono } from "hono";
import { createEmailSender } from "../../shared/email.ts";
import { mountEventReceiver } from "../../shared/event-receiver.ts";
import type { AppEnv } from "../../shared/http.ts";
import { createApiDoc } from "../../shared/openapi.ts";
import { createServiceApp, type Platform } from "../../shared/platform.ts";
import { createFcmSender } from "../../shared/push.ts";
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
export function createApp(platform: Platform): Hono<AppEnv> {
  const doc = createApiDoc();
  const app = createServiceApp(platform, doc);
  const deliveries = createDeliveryDispatcher({
    sql: platform.db.sql,
    log: platform.log,
    config: platform.config,
    email: createEmailSender(platform.config),
    push: createFcmSender(platform.config),
  });

  mountEventReceiver(app, platform, createNotificationHandlers(platform.config, deliveries));
  registerSweepRoute(app, platform, deliveries);
  // Fixed paths before `/notifications/:id`.
  registerPreferenceRoutes(app, platform, doc);
  registerDeviceTokenRoutes(app, platform, doc);
  registerNotificationRoutes(app, platform, doc);
  registerAdminEventRoutes(app, platform, doc);
  return app;
}
