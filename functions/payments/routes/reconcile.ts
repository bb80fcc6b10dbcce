import type { PaymentsPlatform } from "../config.ts";
import { scheduledOnly } from "../../../shared/scheduled-route.ts";
import { createRoute, errorSchema, idParamsFor, json, type ServiceApp } from "../../../shared/route.ts";
import { reconcileUnpaidJobs } from "../reconcile.ts";
import { reconcileLedger } from "../ledger-report.ts";
import { reconcileResultSchema } from "../schemas.ts";
import type { PaymentSettings } from "../settings.ts";

/**
 * `POST /payments/reconcile`: one reconciliation pass — lost webhooks, then the ledger-vs-MercadoPago
 * report (`/payments/reconcile/trabajos/{id}` re-checks one job's payment only). Protected like the relay
 * sweep: `Authorization: Bearer <RELAY_SWEEP_SECRET>` or a QStash-signed call. Schedule it every
 * few minutes on Supabase, e.g. with pg_cron + pg_net:
 * `select cron.schedule('payments-reconcile', '*\/5 * * * *', $$select net.http_post(url :=
 * '<FUNCTIONS_PUBLIC_URL>/payments/payments/reconcile', headers := jsonb_build_object(
 * 'Authorization', 'Bearer <RELAY_SWEEP_SECRET>'))$$);` or a QStash schedule to the same URL.
 */
export function registerReconcileRoute(
  app: ServiceApp,
  platform: PaymentsPlatform,
  settings: PaymentSettings,
) {
  const requireScheduler = scheduledOnly(platform, "/payments/reconcile");

  const run = async (requestId: string, trabajoId?: string) => {
    const unpaid = trabajoId
      ? { revisados: 0, aplicados: 0, anomalias: 0, errores: 0 }
      : await reconcileUnpaidJobs(platform, settings);
    const ledger = await reconcileLedger(platform, settings, { trabajoId });
    const report = {
      ...unpaid,
      errores: unpaid.errores + ledger.errores,
      conciliados: ledger.conciliados,
      discrepancias: ledger.discrepancias,
    };
    if (report.revisados || report.conciliados) {
      platform.log.info("payments reconciliation", { request_id: requestId, ...report });
    }
    return report;
  };
  const responses = {
    200: json(reconcileResultSchema, "What the pass found"),
    401: json(errorSchema, "Not the scheduler"),
    503: json(errorSchema, "MercadoPago not configured"),
  };

  app.openapi(
    createRoute({
      method: "post",
      path: "/payments/reconcile",
      summary:
        "Re-read MercadoPago for unpaid jobs, then compare settled payments with the ledger (scheduler)",
      middleware: [requireScheduler],
      responses,
    }),
    async (c) => c.json(await run(c.var.requestId), 200),
  );

  // An operator's re-check of one job's payment against the ledger now, whatever its age
  // (Bearer only: QStash schedules call the sweep above).
  app.openapi(
    createRoute({
      method: "post",
      path: "/payments/reconcile/trabajos/{id}",
      summary: "Compare one job's applied payment with MercadoPago now (scheduler secret)",
      middleware: [requireScheduler],
      request: { params: idParamsFor("Trabajo no encontrado") },
      responses,
    }),
    async (c) => c.json(await run(c.var.requestId, c.req.valid("param").id), 200),
  );
}
