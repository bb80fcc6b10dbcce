import type { Hono } from "hono";
import type { AppEnv } from "../../shared/http.ts";
import { createApiDoc } from "../../shared/openapi.ts";
import { createServiceApp, type Platform } from "../../shared/platform.ts";
import { createAuthDeps } from "./deps.ts";
import { registerAccountRoutes } from "./routes/accounts.ts";
import { registerEmailVerificationRoutes } from "./routes/email-verification.ts";
import { registerPasswordRoutes } from "./routes/passwords.ts";
import { registerSessionRoutes } from "./routes/sessions.ts";

/** `auth` function: Registration, login, tokens, sessions and passwords (credentials are owned here). */
export function createApp(platform: Platform): Hono<AppEnv> {
  const doc = createApiDoc();
  const app = createServiceApp(platform, doc);
  const deps = createAuthDeps(platform);
  registerAccountRoutes(app, deps, doc);
  registerSessionRoutes(app, deps, doc);
  registerPasswordRoutes(app, deps, doc);
  registerEmailVerificationRoutes(app, deps, doc);
  return app;
}
