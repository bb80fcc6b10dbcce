// Test hooks under `/stand-in/…` — not MercadoPago's protocol. They let a test inspect what the
// payments function asked for and provoke what a browser or MercadoPago would otherwise do:
// - `GET /stand-in/preferences | payments | refunds | webhooks` (webhooks = delivery attempts with
//   the receiver's status, `null` when it did not answer);
// - `POST /stand-in/payments {preference_id?, external_reference?, transaction_amount?, status?, …,
//   notify?: boolean, notification_url?}` creates a payment with any fields and optionally notifies;
// - `POST /stand-in/notify {payment_id, notification_url?, action?}` sends the webhook again;
// - `POST /stand-in/fault {unavailable: boolean, refund_status?}` makes the REST API answer 503;
//   `refund_status` ("approved", "in_process", "rejected") is the status new refunds get;
// - `POST /stand-in/refund-status {refund_id, status}` settles an "in_process" refund ("approved"
//   gives the money back, or "rejected");
// - `POST /stand-in/reset` forgets everything (the fault switch included).

import { json } from "./mercadopago-api.ts";
import { type Json, type MercadoPagoStore, preferenceTotal } from "./mercadopago-store.ts";
import type { WebhookSender } from "./mercadopago-webhook.ts";

export type Fault = { unavailable: boolean };

export async function hookRoute(
  req: Request,
  url: URL,
  deps: { store: MercadoPagoStore; webhooks: WebhookSender; fault: Fault },
): Promise<Response | null> {
  const { store, webhooks, fault } = deps;
  const path = url.pathname.replace(/\/+$/, "");
  if (!path.startsWith("/stand-in/")) return null;
  if (req.method === "GET") {
    const payments = [...store.payments.values()];
    const lists: Record<string, unknown[]> = {
      "/stand-in/preferences": [...store.preferences.values()],
      "/stand-in/payments": payments,
      "/stand-in/refunds": payments.flatMap((p) => p.refunds),
      "/stand-in/webhooks": store.deliveries,
    };
    const list = lists[path];
    return list ? json(200, list) : json(404, { error: "unknown hook" });
  }
  if (req.method !== "POST") return json(405, { error: "method not allowed" });
  const body = (await req.json().catch(() => ({}))) as Json;
  switch (path) {
    case "/stand-in/payments": {
      const { notify, notification_url, preference_id, ...fields } = body;
      const preference = typeof preference_id === "string" ? store.preferences.get(preference_id) : undefined;
      if (preference_id !== undefined && !preference) return json(404, { error: "unknown preference" });
      const target = notification_url ?? preference?.notification_url ?? null;
      const payment = store.createPayment({
        notification_url: target,
        ...(preference
          ? {
            transaction_amount: preferenceTotal(preference),
            external_reference: preference.external_reference ?? null,
            metadata: { preference_id: preference.id },
          }
          : {}),
        ...fields,
      });
      if (notify && typeof target === "string") await webhooks.notify(payment, target);
      return json(201, payment);
    }
    case "/stand-in/notify": {
      const payment = store.payments.get(Number(body.payment_id));
      if (!payment) return json(404, { error: "unknown payment" });
      const target = body.notification_url ?? payment.notification_url;
      if (typeof target !== "string" || !target) return json(400, { error: "no notification_url" });
      await webhooks.notify(
        payment,
        target,
        typeof body.action === "string" ? body.action : "payment.updated",
      );
      return json(202, { payment_id: payment.id });
    }
    case "/stand-in/fault": {
      fault.unavailable = body.unavailable === true;
      const status = body.refund_status;
      if (status === "approved" || status === "in_process" || status === "rejected") {
        store.refundStatus = status;
      }
      return json(200, { ...fault, refund_status: store.refundStatus });
    }
    case "/stand-in/refund-status": {
      const status = body.status;
      if (status !== "approved" && status !== "rejected") {
        return json(400, { error: "status: approved | rejected" });
      }
      const settled = store.settleRefund(Number(body.refund_id), status);
      return typeof settled === "string" ? json(409, { error: settled }) : json(200, settled);
    }
    case "/stand-in/reset":
      store.reset();
      fault.unavailable = false;
      return json(200, { reset: true });
  }
  return json(404, { error: "unknown hook" });
}
