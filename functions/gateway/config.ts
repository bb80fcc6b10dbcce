import { z } from "zod";
import type { ConfigCheck, ConfigOf } from "../../shared/config.ts";
import { optionalUrl } from "../../shared/config-parsers.ts";
import { SERVICE_NAMES, type ServiceName } from "../../shared/function-names.ts";
import { AUTH_SETTINGS } from "../auth/config.ts";
import { CHAT_OFFERS_SETTINGS } from "../chat-offers/config.ts";
import { NOTIFICATIONS_SETTINGS } from "../notifications/config.ts";
import { PAYMENTS_SETTINGS } from "../payments/config.ts";
import { PROFESSIONALS_SETTINGS } from "../professionals/config.ts";
import { USERS_SETTINGS } from "../users/config.ts";

/** The gateway's own settings, added to the platform's (shared/config.ts): its mode and upstreams. */
export const GATEWAY_SETTINGS = {
  GATEWAY_MODE: z.enum(["inline", "proxy"]).default("inline"),
  /** Proxy mode: where functions live, e.g. `https://<ref>.supabase.co/functions/v1`. */
  FUNCTIONS_BASE_URL: optionalUrl,
  AUTH_SERVICE_URL: optionalUrl,
  USERS_SERVICE_URL: optionalUrl,
  PROFESSIONALS_SERVICE_URL: optionalUrl,
  CHAT_OFFERS_SERVICE_URL: optionalUrl,
  PAYMENTS_SERVICE_URL: optionalUrl,
  NOTIFICATIONS_SERVICE_URL: optionalUrl,
  GATEWAY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** The ceiling for multipart bodies: the largest upload (KYC, 10 files of 10 MB) and its envelope. */
  HTTP_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(101 * 1024 * 1024),
};

/**
 * Inline mode runs every function in the gateway's process: it needs every function's settings.
 * Proxy mode reads only the gateway's (the functions parse their own where they run).
 */
export const INLINE_GATEWAY_SETTINGS = {
  ...AUTH_SETTINGS,
  ...USERS_SETTINGS,
  ...PROFESSIONALS_SETTINGS,
  ...CHAT_OFFERS_SETTINGS,
  ...PAYMENTS_SETTINGS,
  ...NOTIFICATIONS_SETTINGS,
  ...GATEWAY_SETTINGS,
};

export type GatewayConfig = ConfigOf<typeof GATEWAY_SETTINGS>;
export type InlineGatewayConfig = ConfigOf<typeof INLINE_GATEWAY_SETTINGS>;

/** Proxy mode needs somewhere to send each function's requests. */
export const checkGatewayConfig: ConfigCheck<typeof GATEWAY_SETTINGS> = (config) => {
  if (config.GATEWAY_MODE !== "proxy" || config.FUNCTIONS_BASE_URL) return [];
  const missing = SERVICE_NAMES.map(serviceUrlVariable).filter((v) => !config[v]);
  if (!missing.length) return [];
  return [{
    variable: "FUNCTIONS_BASE_URL",
    message: `proxy mode needs FUNCTIONS_BASE_URL or ${missing.join(", ")}`,
  }];
};

type ServiceUrlVariable = `${
  | "AUTH"
  | "USERS"
  | "PROFESSIONALS"
  | "CHAT_OFFERS"
  | "PAYMENTS"
  | "NOTIFICATIONS"}_SERVICE_URL`;

/** `chat-offers` → `CHAT_OFFERS_SERVICE_URL`. */
export function serviceUrlVariable(service: ServiceName): ServiceUrlVariable {
  return `${service.toUpperCase().replace("-", "_")}_SERVICE_URL` as ServiceUrlVariable;
}
