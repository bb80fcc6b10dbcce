import { createServiceApp, type Platform } from "../../shared/platform.ts";
import type { ServiceApp } from "../../shared/route.ts";

/** `chat-offers` function: Chats, offers (ofertas), jobs (trabajos) and reviews (reseñas). */
export function createApp(platform: Platform): ServiceApp {
  return createServiceApp(platform);
}
