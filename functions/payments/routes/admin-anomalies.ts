import type { PaymentsPlatform } from "../config.ts";
import { AppError } from "../../../shared/errors.ts";
import {
  createRoute,
  errorSchema,
  idParamsFor,
  json,
  jsonBody,
  type ServiceApp,
} from "../../../shared/route.ts";
import { anomalyColumns, type AnomalyRow, toAnomalyRead } from "../anomalies.ts";
import { anomalySchema, resolveAnomalySchema } from "../schemas.ts";

/**
 * `POST /admin/pagos/anomalias/{id}/resolver {nota}`: an admin closes a payment anomaly after
 * dealing with it (on MercadoPago, with the parties). Closing changes no money: corrections are
 * separate, explicit operations. Written as the admin (RLS: "Admins can resolve anomalies").
 */
export function registerAdminAnomalyRoutes(app: ServiceApp, platform: PaymentsPlatform) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/admin/pagos/anomalias/{id}/resolver",
      summary: "Close a payment anomaly with a note (RESUELTA)",
      ...platform.access(["ADMIN"]),
      request: { params: idParamsFor("Anomalía no encontrada"), body: jsonBody(resolveAnomalySchema) },
      responses: {
        200: json(anomalySchema, "The anomaly, now RESUELTA"),
        400: json(errorSchema, "Already resolved"),
        404: json(errorSchema, "No such anomaly"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { nota } = c.req.valid("json");
      const user = c.var.user;
      const row = await platform.db.asUser(user, async (tx) => {
        // `estado = 'ABIERTA'` in the update: of two admins closing it at once, one wins.
        const [done] = await tx<AnomalyRow[]>`
          update public.pago_anomalias
            set estado = 'RESUELTA', resuelta_at = now(), resuelta_por = ${user.id}, nota_resolucion = ${nota}
          where id = ${id} and estado = 'ABIERTA'
          returning ${anomalyColumns(tx)}`;
        if (done) return done;
        const [existing] = await tx`select 1 from public.pago_anomalias where id = ${id}`;
        if (!existing) throw new AppError("not_found", "Anomalía no encontrada");
        throw new AppError("bad_request", "La anomalía ya está resuelta");
      });
      return c.json(toAnomalyRead(row), 200);
    },
  );
}
