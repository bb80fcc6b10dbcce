import { mountEventReceiver } from "../../shared/event-receiver.ts";
import { createServiceApp } from "../../shared/platform.ts";
import type { ChatOffersPlatform } from "./config.ts";
import type { ServiceApp } from "../../shared/route.ts";
import { chatFirestore } from "./chat-firestore.ts";
import { jobEventHandlers } from "./job-events.ts";
import type { OfferDeps } from "./offers.ts";
import { paymentLinker } from "./payment-link.ts";
import { registerChatRoutes } from "./routes/chats.ts";
import { registerDisputeRoutes } from "./routes/disputes.ts";
import { registerJobRoutes } from "./routes/jobs.ts";
import { registerMessageRoutes } from "./routes/messages.ts";
import { registerModerationRoutes } from "./routes/moderation.ts";
import { registerOfferRoutes } from "./routes/offers.ts";
import { registerReviewRoutes } from "./routes/reviews.ts";
import { registerSweepRoute } from "./routes/sweep.ts";
import { registerTimelineRoutes } from "./routes/timeline.ts";
import { timerEventHandlers } from "./timer-events.ts";

/** `chat-offers` function: Chats, offers (ofertas), jobs (trabajos) and reviews (reseñas). */
export function createApp(platform: ChatOffersPlatform): ServiceApp {
  const app = createServiceApp(platform);
  const { config } = platform;
  const deps: OfferDeps = {
    db: platform.db,
    // Lazy: firebase-admin loads on the first chat call, not at boot.
    firestore: chatFirestore(config),
    rules: {
      maxInfractions: config.CHAT_MAX_INFRACTIONS,
      notifyDebounceSeconds: config.CHAT_NOTIFY_DEBOUNCE_SECONDS,
    },
    offerExpiryDays: config.OFFER_EXPIRY_DAYS,
  };
  const link = paymentLinker(config);
  registerChatRoutes(app, platform, deps);
  registerMessageRoutes(app, platform, deps);
  registerModerationRoutes(app, platform, deps);
  registerOfferRoutes(app, platform, deps, link);
  registerJobRoutes(app, platform, link);
  registerTimelineRoutes(app, platform);
  registerReviewRoutes(app, platform);
  registerDisputeRoutes(app, platform);
  registerSweepRoute(app, platform);
  mountEventReceiver(app, platform, {
    ...jobEventHandlers(deps.firestore),
    ...timerEventHandlers(deps.firestore),
  });
  return app;
}
