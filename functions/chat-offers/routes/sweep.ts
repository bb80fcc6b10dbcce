import type { ChatOffersPlatform } from "../config.ts";
import type { ServiceApp } from "../../../shared/route.ts";
import { scheduledOnly } from "../../../shared/scheduled-route.ts";
import { runTimers, type TimerReport, timerSettings } from "../timers.ts";

/**
 * `POST /chat-offers/events/timers` (function URL beside the event receiver; not routed by the
 * gateway, not in the OpenAPI document): one pass of the
 * offers' and jobs' timers (timers.ts). Protected like the relay sweep: `Authorization: Bearer
 * <RELAY_SWEEP_SECRET>` or a QStash-signed call. On Supabase schedule it every minute, e.g.
 * `select cron.schedule('chat-offers-timers', '* * * * *', $$select net.http_post(url :=
 * '<FUNCTIONS_PUBLIC_URL>/chat-offers/events/timers', headers := jsonb_build_object(
 * 'Authorization', 'Bearer <RELAY_SWEEP_SECRET>'))$$);` or a QStash schedule to the same URL.
 * Locally scripts/local/functions-host.ts calls it on its sweep interval.
 */
export function registerSweepRoute(app: ServiceApp, platform: ChatOffersPlatform) {
  const settings = timerSettings(platform.config);

  app.post("/events/timers", scheduledOnly(platform, "/events/timers"), async (c) => {
    const report: TimerReport = await runTimers({ db: platform.db, settings, log: platform.log });
    if (Object.values(report).some((n) => n > 0)) {
      platform.log.info("timers sweep", { request_id: c.var.requestId, ...report });
    }
    return c.json(report, 200);
  });
}
