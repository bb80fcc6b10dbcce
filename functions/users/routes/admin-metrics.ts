import { z } from "zod";
import type { UsersPlatform } from "../config.ts";
import { createRoute, json, type ServiceApp } from "../../../shared/route.ts";
import { userMetrics } from "../metrics.ts";

const count = z.number().int();
const userMetricsSchema = z.object({
  total_clientes: count,
  total_profesionales: count,
  total_pro_pendientes_kyc: count.describe("PENDIENTE + EN_REVISION"),
  total_pro_aprobados: count,
  total_admins: count,
  total_usuarios: count,
  usuarios_activos: count,
  usuarios_baneados: count,
  por_rol: z.object({ CLIENTE: count, PROFESIONAL: count, ADMIN: count }),
  por_estado: z.object({ activos: count, baneados: count }),
  nuevos_por_dia: z.array(z.object({ fecha: z.string().describe("YYYY-MM-DD (UTC)"), total: count })),
  nuevos_ultimos_30_dias: count,
}).meta({ id: "UserMetricsResponse" });

export function registerAdminMetricsRoutes(app: ServiceApp, platform: UsersPlatform) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/metrics/users",
      summary: "UserMetricsResponse: counts by role, status and KYC state; new users per day (30 days)",
      ...platform.access(["ADMIN"]),
      responses: { 200: json(userMetricsSchema, "Account metrics") },
    }),
    async (c) => c.json(await platform.db.asUser(c.var.user, userMetrics), 200),
  );
}
