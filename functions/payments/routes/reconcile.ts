import { createHash, timingSafeEqual } from "node:crypto";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../../shared/app-env.ts";
import { AppError } from "../../../shared/errors.ts";
import type { Platform } from "../../../shared/platform.ts";
import { createSignatureVerifier } from "../../../shared/qstash.ts";
import { createRoute, errorSchema, json, type ServiceApp } from "../../../shared/route.ts";
import { reconcileUnpaidJobs } from "../reconcile.ts";
import { reconcileResultSchema } from "../schemas.ts";
import type { PaymentSettings } from "../settings.ts";

/**
 * `POST /payments/reconcile`: one reconciliation pass (lost webhooks). Protected like the relay
 * sweep: `Authorization: Bearer <RELAY_SWEEP_SECRET>` or a QStash-signed call. Schedule it every
 * few minutes on Supabase, e.g. with pg_cron + pg_net:
 * `select cron.schedule('payments-reconcile', '*\/5 * * * *', $$select net.http_post(url :=
 * '<FUNCTIONS_PUBLIC_URL>/payments/payments/reconcile', headers := jsonb_build_object(
 * 'Authorization', 'Bearer <RELAY_SWEEP_SECRET>'))$$);` or a QStash schedule to the same URL.
 */
export function registerReconcileRoute(app: ServiceApp, platform: Platform, settings: PaymentSettings) {
  const verify = createSignatureVerifier(platform.config);
  const secret = platform.config.RELAY_SWEEP_SECRET;
  const url = `${
    (platform.config.FUNCTIONS_PUBLIC_URL ?? "").replace(/\/+$/, "")
  }/payments/payments/reconcile`;
  const requireScheduler = createMiddleware<AppEnv>(async (c, next) => {
    const bearer = c.req.header("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
    const allowed = (secret && bearer && sameSecret(bearer, secret)) ||
      await verify({ signature: c.req.header("upstash-signature"), body: await c.req.text(), url });
    if (!allowed) throw new AppError("unauthorized", "No autorizado");
    await next();
  });

  app.openapi(
    createRoute({
      method: "post",
      path: "/payments/reconcile",
      summary: "Re-read MercadoPago for jobs left unpaid with a preference (scheduler only)",
      middleware: [requireScheduler],
      responses: {
        200: json(reconcileResultSchema, "What the pass found"),
        401: json(errorSchema, "Not the scheduler"),
        503: json(errorSchema, "MercadoPago not configured"),
      },
    }),
    async (c) => {
      const report = await reconcileUnpaidJobs(platform, settings);
      if (report.revisados) {
        platform.log.info("payments reconciliation", { request_id: c.var.requestId, ...report });
      }
      return c.json(report, 200);
    },
  );
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
