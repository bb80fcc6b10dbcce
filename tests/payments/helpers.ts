// Fixtures for the payments tests: a job waiting for payment (inserted through the test DB
// handle until the offers routes exist), its signed checkout link, signed webhooks, the run's
// MercadoPago stand-in read through its hooks, and ledger reads.

import { hmacHex } from "../fakes/mercadopago-webhook.ts";
import { createAccount, type TestAccount, testSql } from "../support/accounts.ts";
import { insertPendingJob } from "../offers/helpers.ts";
import { testEnv } from "../support/env.ts";
import { api, type TestApi } from "../support/gateway.ts";
import { signLink } from "../../shared/signed-link.ts";

export type Job = { id: string; client: TestAccount; pro: TestAccount; price: number };

/** The gateway with the webhook pointed at the functions host (where MercadoPago's stand-in can post). */
export function paymentsApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  return api({
    MERCADOPAGO_NOTIFICATION_URL: `${testEnv().FUNCTIONS_PUBLIC_URL}/gateway/api/v1/webhook/mercadopago`,
    PAYMENTS_RECONCILE_MIN_AGE_SECONDS: "0",
    ...overrides,
  });
}

/** A PENDIENTE_PAGO job of `price` between a fresh client and professional (offer accepted). */
export async function createJob(price = 15000.5): Promise<Job> {
  const [client, pro] = await Promise.all([createAccount("CLIENTE"), createAccount("PROFESIONAL")]);
  const { jobId } = await insertPendingJob(client, pro, price, "Arreglo de cañería del baño");
  return { id: jobId, client, pro, price };
}

/** The job's `payment_url` path + query, as the jobs side signs it. */
export async function checkoutPath(
  jobId: string,
  clientId: string,
  options: { ttlSeconds?: number; now?: Date; prefix?: string } = {},
): Promise<string> {
  const url = await signLink(testEnv().CHECKOUT_LINK_SECRET, {
    baseUrl: "http://localhost:8000",
    path: `/payments/checkout/${jobId}`,
    claims: { cliente: clientId },
    ttlSeconds: options.ttlSeconds ?? 3600,
    now: options.now,
  });
  const parsed = new URL(url);
  return `${options.prefix ?? "/api/v1"}${parsed.pathname}${parsed.search}`;
}

export const mpUrl = () => testEnv().MERCADOPAGO_BASE_URL;

/** Follows the checkout link: the stand-in's init_point it redirects to. */
export async function openCheckout(gateway: TestApi, path: string): Promise<Response> {
  const response = await gateway.fetch(path, { redirect: "manual" });
  await response.body?.cancel();
  return response;
}

/** "Clicks" Pagar (or Rechazar) on the stand-in's checkout page; answers the back URL. */
export async function clickPay(initPoint: string, button: "pay" | "reject" = "pay"): Promise<URL> {
  const prefId = new URL(initPoint).searchParams.get("pref_id")!;
  const response = await fetch(`${mpUrl()}/checkout/v1/${button}`, {
    method: "POST",
    body: new URLSearchParams({ pref_id: prefId }),
    redirect: "manual",
  });
  await response.body?.cancel();
  if (response.status !== 302) throw new Error(`checkout answered ${response.status}`);
  return new URL(response.headers.get("location")!);
}

/** A payment created in the stand-in without a notification (a "lost webhook"). */
// deno-lint-ignore no-explicit-any
export async function standInPayment(fields: Record<string, unknown>): Promise<any> {
  const response = await fetch(`${mpUrl()}/stand-in/payments`, {
    method: "POST",
    body: JSON.stringify({ notify: false, ...fields }),
  });
  if (response.status !== 201) throw new Error(`stand-in payment: ${response.status}`);
  return await response.json();
}

// deno-lint-ignore no-explicit-any
export async function standIn(list: "preferences" | "payments" | "refunds"): Promise<any[]> {
  return await (await fetch(`${mpUrl()}/stand-in/${list}`)).json();
}

/** A notification signed like MercadoPago's (or with another secret, to forge one). */
export async function signedWebhook(
  gateway: TestApi,
  paymentId: string | number,
  options: { secret?: string; path?: string; dataId?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const dataId = options.dataId ?? String(paymentId);
  const requestId = crypto.randomUUID();
  const ts = String(Math.floor(Date.now() / 1000));
  const secret = options.secret ?? testEnv().MERCADOPAGO_WEBHOOK_SECRET;
  const v1 = await hmacHex(secret, `id:${String(paymentId)};request-id:${requestId};ts:${ts};`);
  const path = options.path ?? "/api/v1/webhook/mercadopago";
  return await gateway.json("POST", `${path}?data.id=${encodeURIComponent(dataId)}&type=payment`, {
    body: { action: "payment.created", type: "payment", data: { id: dataId } },
    headers: { "x-signature": `ts=${ts},v1=${v1}`, "x-request-id": requestId },
  });
}

export type JobState = {
  estado: string;
  estado_escrow: string;
  mercadopago_payment_id: string | null;
  saldo: number;
  cobros: number;
  pagos: number;
  aplicados: number;
};

export async function jobState(jobId: string): Promise<JobState> {
  const [row] = await testSql()`
    select t.estado::text, t.estado_escrow::text, t.mercadopago_payment_id,
      public.escrow_saldo(t.id)::float8 as saldo,
      (select count(*)::int from public.ledger_asientos a where a.trabajo_id = t.id and a.tipo = 'COBRO') as cobros,
      (select count(*)::int from public.pagos p where p.trabajo_id = t.id) as pagos,
      (select count(*)::int from public.pagos p where p.trabajo_id = t.id and p.aplicado_at is not null)
        as aplicados
    from public.trabajos t where t.id = ${jobId}`;
  return row as unknown as JobState;
}

export async function anomalies(jobId: string): Promise<{ tipo: string; mp_payment_id: string }[]> {
  const rows = await testSql()`
    select tipo, mp_payment_id from public.pago_anomalias where trabajo_id = ${jobId} order by created_at`;
  return rows.map((r) => ({ tipo: r.tipo, mp_payment_id: r.mp_payment_id }));
}

/** Ledger invariants broken for this job (filtered: parallel test files write other jobs). */
export async function invariantViolations(jobId: string): Promise<unknown[]> {
  return [
    ...await testSql()`
      select * from public.ledger_invariant_violations() v
      where v.referencia = ${jobId}
        or v.referencia in (select a.id::text from public.ledger_asientos a where a.trabajo_id = ${jobId})`,
  ];
}

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 8000,
  intervalMs = 50,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
