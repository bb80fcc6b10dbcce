import { createServiceApp, type Platform } from "../../shared/platform.ts";
import type { ServiceApp } from "../../shared/route.ts";

/** `payments` function: MercadoPago checkout, escrow ledger, releases and refunds. */
export function createApp(platform: Platform): ServiceApp {
  return createServiceApp(platform);
}
