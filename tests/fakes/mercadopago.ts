// Local stand-in for MercadoPago Checkout Pro, so functions/payments runs unchanged against it (only
// MERCADOPAGO_BASE_URL, the access token and the webhook secret differ). It speaks the REST subset
// `mercadopago@3.6.1` calls (mercadopago-api.ts), serves the checkout page a buyer pays on
// (mercadopago-checkout.ts), sends signed, retried webhooks (mercadopago-webhook.ts) and offers test
// hooks under /stand-in/ (mercadopago-hooks.ts). State lives in memory (mercadopago-store.ts).

import { apiRoute, json, mpError } from "./mercadopago-api.ts";
import { checkoutRoute } from "./mercadopago-checkout.ts";
import { type Fault, hookRoute } from "./mercadopago-hooks.ts";
import { MercadoPagoStore } from "./mercadopago-store.ts";
import { createWebhookSender } from "./mercadopago-webhook.ts";
import type { StandIn } from "./registry.ts";

export type MercadoPagoStandInOptions = {
  port?: number;
  accessToken?: string;
  webhookSecret?: string;
  /** Delay before each webhook retry; its length is the number of retries. */
  retryDelaysMs?: number[];
  /** How long one webhook delivery waits for the receiver. */
  webhookTimeoutMs?: number;
};

export type MercadoPagoStandIn = {
  url: string;
  accessToken: string;
  webhookSecret: string;
  store: MercadoPagoStore;
  stop: () => Promise<void>;
};

/**
 * Starts the stand-in on 127.0.0.1 with a fresh access token and webhook secret unless given.
 *
 * @example
 * const mp = startMercadoPagoStandIn({ retryDelaysMs: [200, 1000, 5000] });
 * // point the adapter at mp.url with mp.accessToken; open a preference's init_point to pay
 * await mp.stop();
 */
export function startMercadoPagoStandIn(options: MercadoPagoStandInOptions = {}): MercadoPagoStandIn {
  const random = () => crypto.randomUUID().replaceAll("-", "");
  // MercadoPago test credentials look like TEST-<app id>-<…>; nothing here depends on the shape.
  const accessToken = options.accessToken ?? `TEST-6295877106812064-local-${random()}`;
  const webhookSecret = options.webhookSecret ?? `local-mp-webhook-${random()}`;
  const store = new MercadoPagoStore();
  const fault: Fault = { unavailable: false };
  const webhooks = createWebhookSender(store, {
    secret: webhookSecret,
    retryDelaysMs: options.retryDelaysMs ?? [200, 1000, 5000],
    timeoutMs: options.webhookTimeoutMs,
  });
  let baseUrl = "";

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const hooked = await hookRoute(req, url, { store, webhooks, fault });
    if (hooked) return hooked;
    if (fault.unavailable) return mpError(503, "service_unavailable", "Service unavailable");
    const answered = await checkoutRoute(req, url, { store, webhooks }) ??
      await apiRoute(req, url, { store, accessToken, baseUrl: () => baseUrl });
    return answered ??
      json(404, { message: "resource not found", error: "not_found", status: 404, cause: [] });
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: options.port ?? 0, onListen() {} }, handle);
  baseUrl = `http://127.0.0.1:${server.addr.port}`;
  return {
    url: baseUrl,
    accessToken,
    webhookSecret,
    store,
    async stop() {
      webhooks.stop();
      await server.shutdown();
    },
  };
}

/** The stack's MercadoPago: fresh credentials per start; webhook retries short in test runs. */
export const MERCADOPAGO_STAND_IN: StandIn = {
  name: "MercadoPago (Checkout Pro)",
  start(ctx) {
    const server = startMercadoPagoStandIn({
      port: ctx.fixedPorts ? 8087 : 0,
      retryDelaysMs: ctx.fixedPorts ? [1000, 5000, 15_000, 60_000] : [200, 1000, 5000],
    });
    ctx.log(`MercadoPago checkout: ${server.url}/checkout/v1/redirect?pref_id=<preference id>`);
    return Promise.resolve({
      env: {
        MERCADOPAGO_ACCESS_TOKEN: server.accessToken,
        MERCADOPAGO_WEBHOOK_SECRET: server.webhookSecret,
        MERCADOPAGO_BASE_URL: server.url,
      },
      stop: server.stop,
    });
  },
};
