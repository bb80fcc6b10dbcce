import type { Hono } from "hono";
import { requireRole } from "../../../shared/auth.ts";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { userMetrics } from "../metrics.ts";

export function registerAdminMetricsRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  doc.describe({
    method: "get",
    path: "/admin/metrics/users",
    summary: "UserMetricsResponse: counts by role, status and KYC state; new users per day (30 days)",
    auth: ["ADMIN"],
  });
  app.get("/admin/metrics/users", platform.auth, requireRole("ADMIN"), async (c) => {
    return c.json(await platform.db.asUser(c.var.user, userMetrics));
  });
}
