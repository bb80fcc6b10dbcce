// The REST subset `mercadopago@3.6.1` calls, with MercadoPago's answers: Bearer auth (401 otherwise),
// `X-Idempotency-Key` replay on writes (same key + different body → 409), error bodies shaped
// `{message, error, status, cause}` — the fields the SDK's typed errors read.

import type { Json, MercadoPagoStore, Payment } from "./mercadopago-store.ts";

export type ApiDeps = { store: MercadoPagoStore; accessToken: string; baseUrl: () => string };

export async function apiRoute(req: Request, url: URL, deps: ApiDeps): Promise<Response | null> {
  // The SDK sends some paths with a trailing slash and some without; MercadoPago takes both.
  const path = url.pathname.replace(/\/+$/, "");
  const isApi = path.startsWith("/v1/payments") || path.startsWith("/checkout/preferences");
  if (!isApi) return null;
  if (req.headers.get("authorization") !== `Bearer ${deps.accessToken}`) {
    return mpError(401, "unauthorized", "invalid access token");
  }
  const { store } = deps;
  if (req.method === "POST" && path === "/checkout/preferences") {
    return await idempotent(req, store, "preference", (body) => {
      const parsed = parseObject(body);
      if (!parsed || !Array.isArray(parsed.items) || parsed.items.length === 0) {
        return mpErrorBody(400, "invalid_items", "items needed");
      }
      return { status: 201, body: store.createPreference(parsed, deps.baseUrl()) };
    });
  }
  let match = /^\/checkout\/preferences\/([^/]+)$/.exec(path);
  if (req.method === "GET" && match) {
    const preference = store.preferences.get(decodeURIComponent(match[1]));
    return preference ? json(200, preference) : mpError(404, "not_found", "preference not found");
  }
  if (req.method === "GET" && path === "/v1/payments/search") {
    return json(200, store.search(url.searchParams));
  }
  match = /^\/v1\/payments\/(\d+)(\/refunds)?(?:\/(\d+))?$/.exec(path);
  const payment = match ? store.payments.get(Number(match[1])) : undefined;
  if (!match) return mpError(404, "not_found", "resource not found");
  if (!payment) return mpError(404, "not_found", "Payment not found", 2000);
  if (req.method === "GET" && !match[2]) return json(200, payment);
  if (req.method === "GET" && match[2] && !match[3]) return json(200, payment.refunds);
  if (req.method === "GET" && match[3]) {
    const refund = payment.refunds.find((r) => r.id === Number(match![3]));
    return refund ? json(200, refund) : mpError(404, "not_found", "Refund not found");
  }
  if (req.method === "POST" && match[2] && !match[3]) {
    return await idempotent(req, store, `refund:${payment.id}`, (body) => refund(payment, body, store));
  }
  return mpError(405, "method_not_allowed", `Method ${req.method} not allowed`);
}

type Answer = { status: number; body: unknown };

function refund(payment: Payment, body: string, store: MercadoPagoStore): Answer {
  // The SDK sends no body for a full refund; `{}` means the same to MercadoPago.
  const parsed = body.trim() === "" ? {} : parseObject(body);
  if (!parsed) return mpErrorBody(400, "bad_request", "Invalid JSON body");
  const amount = parsed.amount;
  if (amount !== undefined && typeof amount !== "number") {
    return mpErrorBody(400, "bad_request", "amount must be a number");
  }
  const result = store.refund(payment, amount);
  if (typeof result === "string") return mpErrorBody(400, "bad_request", result, 4042);
  return { status: 201, body: result };
}

/**
 * Replays the first answer for a key with the same body; a different body under the same key is a
 * client bug MercadoPago refuses rather than guess which request was meant.
 */
async function idempotent(
  req: Request,
  store: MercadoPagoStore,
  scope: string,
  run: (body: string) => Answer,
): Promise<Response> {
  const body = await req.text();
  const key = req.headers.get("x-idempotency-key");
  const slot = key ? `${scope}:${key}` : null;
  // No await between the lookup and the store below: concurrent duplicates must see each other.
  const seen = slot ? store.idempotency.get(slot) : undefined;
  if (seen && seen.body !== body) {
    return mpError(
      409,
      "idempotency_key_already_used",
      "Idempotency key already used with a different payload",
    );
  }
  if (seen) return json(seen.status, seen.response);
  const answer = run(body);
  // Only successes are remembered: MercadoPago lets a failed request be retried with its key.
  if (slot && answer.status < 300) {
    store.idempotency.set(slot, { body, status: answer.status, response: answer.body });
  }
  return json(answer.status, answer.body);
}

function parseObject(body: string): Json | null {
  try {
    const value = JSON.parse(body);
    return value && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** MercadoPago's error body; `cause` carries its numeric codes when it has one. */
export function mpError(status: number, error: string, message: string, code?: number): Response {
  const answer = mpErrorBody(status, error, message, code);
  return json(answer.status, answer.body);
}

function mpErrorBody(status: number, error: string, message: string, code?: number): Answer {
  const cause = code ? [{ code, description: message, data: new Date().toISOString() }] : [];
  return { status, body: { message, error, status, cause } };
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
