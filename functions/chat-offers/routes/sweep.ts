import { createHash, timingSafeEqual } from "node:crypto";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../../shared/app-env.ts";
import { AppError } from "../../../shared/errors.ts";
import type { ChatOffersPlatform } from "../config.ts";
import { createSignatureVerifier } from "../../../shared/qstash.ts";
import type { ServiceApp } from "../../../shared/route.ts";
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
  const verify = createSignatureVerifier(platform.config);
  const secret = platform.config.RELAY_SWEEP_SECRET;
  const url = `${(platform.config.FUNCTIONS_PUBLIC_URL ?? "").replace(/\/+$/, "")}/chat-offers/events/timers`;
  const requireScheduler = createMiddleware<AppEnv>(async (c, next) => {
    const bearer = c.req.header("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
    const allowed = (secret && bearer && sameSecret(bearer, secret)) ||
      await verify({ signature: c.req.header("upstash-signature"), body: await c.req.text(), url });
    if (!allowed) throw new AppError("unauthorized", "No autorizado");
    await next();
  });
  const settings = timerSettings(platform.config);

  app.post("/events/timers", requireScheduler, async (c) => {
    const report: TimerReport = await runTimers({ db: platform.db, settings, log: platform.log });
    if (Object.values(report).some((n) => n > 0)) {
      platform.log.info("timers sweep", { request_id: c.var.requestId, ...report });
    }
    return c.json(report, 200);
  });
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
