import type { Hono } from "hono";
import type { AppEnv } from "../../../shared/http.ts";
import type { NotificationsPlatform } from "../config.ts";
import { scheduledOnly } from "../../../shared/scheduled-route.ts";
import { createDeadLetterRedrive } from "../../../shared/dead-letters.ts";
import type { DeliveryDispatcher } from "../deliveries.ts";

/**
 * `POST /notifications/events/sweep` (function URL, not routed by the gateway): publishes outbox
 * rows left unpublished, resends failed e-mails/pushes, prunes old outbox/inbox rows and, at most
 * every RELAY_DEAD_LETTER_INTERVAL_MS, redrives QStash's dead letters of our events
 * (shared/dead-letters.ts; `dead_letters` is null when it was not due). Called on a schedule:
 *
 * - a QStash schedule (signed; verified like any delivery):
 *   `client.schedules.create({ destination: "<FUNCTIONS_PUBLIC_URL>/notifications/events/sweep",
 *   cron: "* * * * *" })`, or
 * - pg_cron + pg_net with the secret: `select cron.schedule('relay-sweep', '* * * * *', $$select
 *   net.http_post(url := '<FUNCTIONS_PUBLIC_URL>/notifications/events/sweep', headers :=
 *   jsonb_build_object('Authorization', 'Bearer <RELAY_SWEEP_SECRET>'))$$);`
 * - locally the stack's functions host calls it every few hundred milliseconds.
 */
export function registerSweepRoute(
  app: Hono<AppEnv>,
  platform: NotificationsPlatform,
  deliveries: DeliveryDispatcher,
) {
  const deadLetters = createDeadLetterRedrive({
    config: platform.config,
    log: platform.log,
    sql: platform.db.sql,
  });
  app.post("/events/sweep", scheduledOnly(platform, "/events/sweep"), async (c) => {
    const [outbox, sent, pruned, dead] = await Promise.all([
      platform.relay.sweep(),
      deliveries.sweep(),
      platform.relay.prune(),
      deadLetters.sweep(),
    ]);
    if (outbox.claimed || sent.claimed || pruned.outbox || pruned.inbox || dead?.redriven || dead?.cleared) {
      platform.log.info("sweep", {
        request_id: c.var.requestId,
        outbox,
        deliveries: sent,
        pruned,
        dead_letters: dead,
      });
    }
    return c.json({ outbox, deliveries: sent, pruned, dead_letters: dead });
  });
}
