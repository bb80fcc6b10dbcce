import type { AuthDeps } from "../deps.ts";
import type { ServiceApp } from "../../../shared/route.ts";
import { scheduledOnly } from "../../../shared/scheduled-route.ts";
import { markSeconds } from "../logout.ts";
import { writePendingMarks } from "../registry-marks.ts";

/**
 * `POST /auth/events/sessions` (function URL, not routed by the gateway, not in the OpenAPI
 * document): writes the registry marks of sessions ended while Redis did not answer
 * (registry-marks.ts); 503 while Redis still does not, the next run tries again. Protected like
 * the relay sweep (shared/scheduled-route.ts). On Supabase schedule it every minute, e.g.
 * `select cron.schedule('auth-session-marks', '* * * * *', $$select net.http_post(url :=
 * '<FUNCTIONS_PUBLIC_URL>/auth/events/sessions', headers := jsonb_build_object(
 * 'Authorization', 'Bearer <RELAY_SWEEP_SECRET>'))$$);` or a QStash schedule to the same URL.
 * Locally scripts/local/functions-host.ts calls it on its sweep interval.
 */
export function registerSweepRoute(app: ServiceApp, deps: AuthDeps) {
  const { platform } = deps;
  app.post("/events/sessions", scheduledOnly(platform, "/events/sessions"), async (c) => {
    const report = await writePendingMarks({
      sql: platform.db.sql,
      sessions: platform.sessions,
      markSeconds: markSeconds(deps),
    });
    if (report.written || report.expired) {
      platform.log.info("session registry marks written", { request_id: c.var.requestId, ...report });
    }
    return c.json(report, 200);
  });
}
