import type { ConfigOf } from "../../shared/config.ts";
import type { Platform } from "../../shared/platform.ts";
import { DELIVERY_SETTINGS } from "../../shared/config-delivery.ts";

/** The notifications function's settings (push and e-mail delivery), added to the platform's. */
export const NOTIFICATIONS_SETTINGS = { ...DELIVERY_SETTINGS };

export type NotificationsConfig = ConfigOf<typeof NOTIFICATIONS_SETTINGS>;
export type NotificationsPlatform = Platform<NotificationsConfig>;
