// Webhook delivery as MercadoPago does it for payments: `POST <notification_url>?data.id=<id>&type=payment`,
// a JSON body naming the payment, `x-request-id` and `x-signature: ts=<unix s>,v1=<hex HMAC-SHA256>` over
// `id:<data.id>;request-id:<x-request-id>;ts:<ts>;` keyed with the webhook secret. Non-2xx or no answer →
// retried after each configured delay (MercadoPago waits minutes; tests want milliseconds).

import { COLLECTOR_ID, type Delivery, type MercadoPagoStore, type Payment } from "./mercadopago-store.ts";

export type WebhookSender = {
  /**
   * Delivers one notification. Resolves after the first attempt so that a checkout redirect lands
   * after the receiver has heard of the payment (as it usually has with the real service); any
   * retries run in the background.
   */
  notify(payment: Payment, url: string, action?: string): Promise<void>;
  stop(): void;
};

export function createWebhookSender(
  store: MercadoPagoStore,
  options: { secret: string; retryDelaysMs: number[]; timeoutMs?: number },
): WebhookSender {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const aborts = new AbortController();
  let stopped = false;

  async function attempt(payment: Payment, url: string, action: string, id: number, attemptNo: number) {
    if (stopped) return;
    const dataId = String(payment.id);
    const requestId = crypto.randomUUID();
    const ts = String(Math.floor(Date.now() / 1000));
    const target = new URL(url);
    target.searchParams.set("data.id", dataId);
    target.searchParams.set("type", "payment");
    const body = {
      action,
      api_version: "v1",
      data: { id: dataId },
      date_created: new Date().toISOString(),
      id,
      live_mode: false,
      type: "payment",
      user_id: COLLECTOR_ID,
    };
    const delivery: Delivery = {
      notification_id: id,
      payment_id: payment.id,
      url: target.href,
      attempt: attemptNo,
      request_id: requestId,
      status: null,
      at: new Date().toISOString(),
    };
    store.deliveries.push(delivery);
    try {
      const signature = await hmacHex(options.secret, `id:${dataId};request-id:${requestId};ts:${ts};`);
      const response = await fetch(target, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-request-id": requestId,
          "x-signature": `ts=${ts},v1=${signature}`,
          "user-agent": "MercadoPago WebHook v1.0 payment",
        },
        body: JSON.stringify(body),
        signal: AbortSignal.any([aborts.signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]),
      });
      delivery.status = response.status;
      await response.body?.cancel();
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    const ok = delivery.status !== null && delivery.status >= 200 && delivery.status < 300;
    const delay = options.retryDelaysMs[attemptNo - 1];
    if (ok || stopped || delay === undefined) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      attempt(payment, url, action, id, attemptNo + 1);
    }, delay);
    timers.add(timer);
  }

  return {
    async notify(payment, url, action = "payment.created") {
      await attempt(payment, url, action, store.nextId(), 1);
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      aborts.abort();
    },
  };
}

/** Lower-case hex HMAC-SHA256, the form MercadoPago puts in `v1`. */
export async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}
