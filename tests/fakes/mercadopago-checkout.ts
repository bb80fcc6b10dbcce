// The stand-in's Checkout Pro page: what a buyer sees at a preference's `init_point`. "Pagar" creates
// an approved payment, "Rechazar" a rejected one; both notify the preference's `notification_url` and
// then redirect to its `back_urls` with the query parameters MercadoPago appends.

import {
  type MercadoPagoStore,
  type Payment,
  type Preference,
  preferenceTotal,
} from "./mercadopago-store.ts";
import type { WebhookSender } from "./mercadopago-webhook.ts";

export async function checkoutRoute(
  req: Request,
  url: URL,
  deps: { store: MercadoPagoStore; webhooks: WebhookSender },
): Promise<Response | null> {
  if (req.method === "GET" && url.pathname === "/checkout/v1/redirect") {
    const preference = deps.store.preferences.get(url.searchParams.get("pref_id") ?? "");
    return preference ? html(200, page(preference)) : html(404, notice("No encontramos este pago."));
  }
  const outcome = { "/checkout/v1/pay": "approved", "/checkout/v1/reject": "rejected" }[url.pathname];
  if (req.method !== "POST" || !outcome) return null;
  const form = new URLSearchParams(await req.text());
  const preference = deps.store.preferences.get(form.get("pref_id") ?? "");
  if (!preference) return html(404, notice("No encontramos este pago."));
  if (expired(preference)) return html(400, notice("El link de pago venció."));
  const payment = deps.store.createPayment({
    status: outcome,
    transaction_amount: preferenceTotal(preference),
    external_reference: preference.external_reference ?? null,
    description: String(preference.items[0]?.title ?? ""),
    payer: {
      id: "1234567890",
      email: form.get("email") || "test_user_comprador@testuser.com",
      type: null,
      identification: { type: "DNI", number: "12345678" },
    },
    additional_info: { items: preference.items },
    metadata: { preference_id: preference.id },
    order: { id: deps.store.nextId(), type: "mercadopago" },
    notification_url: preference.notification_url ?? null,
  });
  if (typeof preference.notification_url === "string" && preference.notification_url) {
    await deps.webhooks.notify(payment, preference.notification_url);
  }
  const backUrls = (preference.back_urls ?? {}) as Record<string, string>;
  const back = outcome === "approved" ? backUrls.success : backUrls.failure;
  if (!back) {
    return html(
      200,
      notice(outcome === "approved" ? "¡Listo! Se acreditó tu pago." : "El pago fue rechazado."),
    );
  }
  return new Response(null, { status: 302, headers: { location: backUrl(back, payment, preference) } });
}

function backUrl(base: string, payment: Payment, preference: Preference): string {
  const target = new URL(base);
  const params = {
    collection_id: String(payment.id),
    collection_status: payment.status,
    payment_id: String(payment.id),
    status: payment.status,
    external_reference: String(preference.external_reference ?? "null"),
    payment_type: String(payment.payment_type_id),
    merchant_order_id: String((payment.order as { id?: number } | undefined)?.id ?? "null"),
    preference_id: preference.id,
    site_id: "MLA",
    processing_mode: "aggregator",
    merchant_account_id: "null",
  };
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  return target.href;
}

function expired(preference: Preference): boolean {
  const until = preference.expiration_date_to;
  return typeof until === "string" && until !== "" && Date.parse(until) < Date.now();
}

function page(preference: Preference): string {
  const rows = preference.items.map((item) =>
    `<li>${escape(String(item.title ?? "Producto"))} × ${escape(String(item.quantity ?? 1))}</li>`
  ).join("");
  const total = preferenceTotal(preference).toLocaleString("es-AR", { style: "currency", currency: "ARS" });
  const id = escape(preference.id);
  return layout(`<h1>Pagá con Mercado Pago</h1><ul>${rows}</ul><p>Total: <strong>${total}</strong></p>
<form method="post" action="/checkout/v1/pay"><input type="hidden" name="pref_id" value="${id}">
<button type="submit">Pagar</button></form>
<form method="post" action="/checkout/v1/reject"><input type="hidden" name="pref_id" value="${id}">
<button type="submit">Rechazar</button></form>`);
}

function notice(text: string): string {
  return layout(`<p>${escape(text)}</p>`);
}

function layout(body: string): string {
  return `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Mercado Pago (local)</title></head>
<body>${body}<p><small>Entorno local: ningún pago es real.</small></p></body></html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(status: number, body: string): Response {
  return new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}
