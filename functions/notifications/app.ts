import type { Hono } from "hono";
import type { AppEnv } from "../../shared/http.ts";
import { createApiDoc } from "../../shared/openapi.ts";
import { createServiceApp, type Platform } from "../../shared/platform.ts";

/** `notifications` function: Event subscriber: in-app, push and e-mail notifications. */
export function createApp(platform: Platform): Hono<AppEnv> {
  const doc = createApiDoc();
  const app = createServiceApp(platform, doc);
  return app;
}
