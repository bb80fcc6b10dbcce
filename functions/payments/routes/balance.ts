import type { PaymentsPlatform } from "../config.ts";
import { createRoute, json, type ServiceApp } from "../../../shared/route.ts";
import { professionalBalance, professionalHistory } from "../earnings.ts";
import { balanceSchema, historyQuerySchema, historySchema } from "../payout-schemas.ts";

/** The professional payments page: `GET /pagos/balance` (BalanceCard) and `/pagos/historial`. */
export function registerBalanceRoutes(app: ServiceApp, platform: PaymentsPlatform) {
  const professionalOnly = platform.access(["PROFESIONAL"]);

  app.openapi(
    createRoute({
      method: "get",
      path: "/pagos/balance",
      summary:
        "My money: disponible (balance − requested withdrawals), pendiente (escrow of my open jobs), " +
        "total_ganado, total_comisiones, trabajos_completados",
      ...professionalOnly,
      responses: { 200: json(balanceSchema, "The professional's balance") },
    }),
    async (c) => {
      const me = c.var.user.id;
      return c.json(await platform.db.asUser(c.var.user, (tx) => professionalBalance(tx, me)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/pagos/historial",
      summary:
        "My movements, newest first: releases (ingreso, net with commission) and withdrawals (egreso); " +
        "resumen over the period",
      ...professionalOnly,
      request: { query: historyQuerySchema },
      responses: { 200: json(historySchema, "One page of movements and the period's totals") },
    }),
    async (c) => {
      const me = c.var.user.id;
      const filter = c.req.valid("query");
      return c.json(await platform.db.asUser(c.var.user, (tx) => professionalHistory(tx, me, filter)), 200);
    },
  );
}
