// Shared set-up for the MercadoPago stand-in tests: a fresh stand-in and webhook receiver per test
// (stopped afterwards, for Deno's sanitizers), an adapter client pointed at it, and the browser's
// side of the checkout.

import assert from "node:assert/strict";
import type { MercadoPagoClient, PreferenceInput } from "../../functions/payments/mercadopago.ts";
import { AppError } from "../../shared/errors.ts";
import { type MercadoPagoStandIn, startMercadoPagoStandIn } from "../fakes/mercadopago.ts";
import { type Receiver, startReceiver } from "./mercadopago-receiver.ts";

export type Ctx = {
  mp: MercadoPagoStandIn;
  receiver: Receiver;
  client: MercadoPagoClient;
  input: PreferenceInput;
};

export function test(name: string, fn: (ctx: Ctx) => Promise<void>) {
  Deno.test(name, async () => {
    const mp = startMercadoPagoStandIn({ retryDelaysMs: [200, 1000, 5000] });
    const receiver = startReceiver();
    const client = { accessToken: mp.accessToken, baseUrl: mp.url, timeoutMs: 5000 };
    const input: PreferenceInput = {
      title: "Servicio Profesional",
      description: "Arreglo de cañería",
      unitPrice: 15000.5,
      externalReference: crypto.randomUUID(),
      notificationUrl: receiver.url,
      backUrls: {
        success: "http://localhost:3000/payment/success",
        failure: "http://localhost:3000/payment/failure",
      },
      payerEmail: "cliente@example.com",
    };
    try {
      await fn({ mp, receiver, client, input });
    } finally {
      await mp.stop();
      await receiver.stop();
    }
  });
}

export async function pay(preferenceId: string, mp: MercadoPagoStandIn, button: "pay" | "reject" = "pay") {
  const response = await fetch(`${mp.url}/checkout/v1/${button}`, {
    method: "POST",
    body: new URLSearchParams({ pref_id: preferenceId }),
    redirect: "manual",
  });
  await response.body?.cancel();
  assert.equal(response.status, 302);
  return new URL(response.headers.get("location")!);
}

export async function rejects(promise: Promise<unknown>, code: AppError["code"]): Promise<AppError> {
  const error = await promise.then(() => null, (e) => e);
  assert.ok(error instanceof AppError, `expected AppError ${code}, got ${error}`);
  assert.equal(error.code, code, error.detail);
  return error;
}
