import type { PaymentsPlatform } from "../config.ts";
import { createRoute, json, type ServiceApp } from "../../../shared/route.ts";
import { dashboardStats, financialMetrics, paymentsDashboard } from "../dashboards.ts";
import { dashboardStatsSchema, financialMetricsSchema, paymentsDashboardSchema } from "../payout-schemas.ts";

/**
 * The admin's money dashboards (compatibility.md row 53): the admin home's DashboardMetrics, the
 * metrics page's FinancialMetricsResponse and its fallback `/admin/dashboard/stats`. All numbers.
 */
export function registerAdminDashboardRoutes(app: ServiceApp, platform: PaymentsPlatform) {
  const adminOnly = platform.access(["ADMIN"]);

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/pagos/dashboard",
      summary: "Payments at a glance: collected, commission, jobs awaiting payment, withdrawals to process",
      ...adminOnly,
      responses: { 200: json(paymentsDashboardSchema, "DashboardMetrics") },
    }),
    async (c) => c.json(await platform.db.asUser(c.var.user, paymentsDashboard), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/metrics/financials",
      summary: "Released jobs: Σ precio_final, Σ commission, count (FinancialMetricsResponse)",
      ...adminOnly,
      responses: { 200: json(financialMetricsSchema, "FinancialMetricsResponse") },
    }),
    async (c) => c.json(await platform.db.asUser(c.var.user, financialMetrics), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/dashboard/stats",
      summary: "Jobs by payment state and the money in each (the HEAD payments service's shape)",
      ...adminOnly,
      responses: { 200: json(dashboardStatsSchema, "{trabajos, finanzas}") },
    }),
    async (c) => c.json(await platform.db.asUser(c.var.user, dashboardStats), 200),
  );
}
