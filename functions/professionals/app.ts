import type { Hono } from "hono";
import type { AppEnv } from "../../shared/http.ts";
import { createApiDoc } from "../../shared/openapi.ts";
import { createServiceApp, type Platform } from "../../shared/platform.ts";

/** `professionals` function: Professional profiles, trades (oficios), KYC, portfolio, public profiles and geospatial search. */
export function createApp(platform: Platform): Hono<AppEnv> {
  const doc = createApiDoc();
  const app = createServiceApp(platform, doc);
  return app;
}
