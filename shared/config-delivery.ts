import { z } from "zod";
import type { ConfigOf } from "./config.ts";
import { serviceAccount } from "./config-parsers.ts";

/**
 * Settings of push (FCM HTTP v1) and e-mail (Resend's API), which shared/push.ts and shared/email.ts
 * send with. The notifications function adds them to the platform's (functions/notifications/config.ts).
 */
export const DELIVERY_SETTINGS = {
  FCM_BASE_URL: z.url().default("https://fcm.googleapis.com"),
  GOOGLE_OAUTH_TOKEN_URL: z.url().default("https://oauth2.googleapis.com/token"),
  /** Service-account key (JSON) allowed to send FCM messages; without it push is skipped. */
  FCM_SERVICE_ACCOUNT: serviceAccount.optional(),
  EMAIL_API_URL: z.url().default("https://api.resend.com"),
  /** Without it e-mails stay queued (failed, retried) until it is set. */
  EMAIL_API_KEY: z.string().min(1).optional(),
  EMAIL_FROM: z.string().min(3).default("ConectarProfesionales <no-reply@conectarprofesionales.com>"),
};

export type DeliveryConfig = ConfigOf<typeof DELIVERY_SETTINGS>;
