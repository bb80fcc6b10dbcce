import { createServiceApp, type Platform } from "../../shared/platform.ts";
import type { ServiceApp } from "../../shared/route.ts";
import type { ChatDeps } from "./chat-actions.ts";
import { chatFirestore } from "./chat-firestore.ts";
import { registerChatRoutes } from "./routes/chats.ts";
import { registerMessageRoutes } from "./routes/messages.ts";
import { registerModerationRoutes } from "./routes/moderation.ts";

/** `chat-offers` function: Chats, offers (ofertas), jobs (trabajos) and reviews (reseñas). */
export function createApp(platform: Platform): ServiceApp {
  const app = createServiceApp(platform);
  const { config } = platform;
  const deps: ChatDeps = {
    db: platform.db,
    // Lazy: firebase-admin loads on the first chat call, not at boot.
    firestore: chatFirestore(config),
    rules: {
      maxInfractions: config.CHAT_MAX_INFRACTIONS,
      notifyDebounceSeconds: config.CHAT_NOTIFY_DEBOUNCE_SECONDS,
    },
  };
  registerChatRoutes(app, platform, deps);
  registerMessageRoutes(app, platform, deps);
  registerModerationRoutes(app, platform, deps);
  return app;
}
