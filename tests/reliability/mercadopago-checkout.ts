import { startMercadoPagoStandIn } from "../fakes/mercadopago.ts";
import { testSql } from "../support/accounts.ts";
import { settledViolations, type Violation } from "../support/invariants.ts";
import { checkoutPath, createJob, type JobState, jobState } from "../payments/helpers.ts";
import type { FaultOutcome, FaultScenario } from "./faults.ts";
import { type HostProcess, startHostProcess } from "./host-process.ts";

/**
 * MercadoPago down at checkout: the client opens the payment link while MercadoPago's API answers
 * 503; the link answers a clear 503 and the job stays payable — once MercadoPago is back the same
 * link opens its checkout page, the client pays and the job is paid, once.
 */
export type MercadoPagoCheckout = {
  down: { status: number; code?: string; detail?: string };
  stateDown: JobState;
  /** The same link once MercadoPago is back: a redirect to its checkout page. */
  up: { status: number; location: string | null };
  /** From MercadoPago back to the checkout page opening. */
  recoveryMs: number | null;
  stateAfter: JobState;
  mercadoPagoUrl: string;
  violations: Violation[];
};

/** A MercadoPago stand-in of its own (its fault switch must not reach other test files) and a host using it. */
export async function withOwnMercadoPago<T>(
  work: (mp: ReturnType<typeof startMercadoPagoStandIn>, host: HostProcess) => Promise<T>,
  options: { retryDelaysMs?: number[] } = {},
): Promise<T> {
  const mp = startMercadoPagoStandIn({ retryDelaysMs: options.retryDelaysMs ?? [200, 1000] });
  try {
    const host = await startHostProcess({
      ...Deno.env.toObject(),
      MERCADOPAGO_BASE_URL: mp.url,
      MERCADOPAGO_ACCESS_TOKEN: mp.accessToken,
      MERCADOPAGO_WEBHOOK_SECRET: mp.webhookSecret,
      PAYMENTS_RECONCILE_MIN_AGE_SECONDS: "0",
    });
    try {
      return await work(mp, host);
    } finally {
      await host.stop();
    }
  } finally {
    await mp.stop();
  }
}

/** The stand-in's test hooks (tests/fakes/mercadopago-hooks.ts): GET lists, POST acts. */
export async function mercadoPagoHook(
  mpUrl: string,
  path: string,
  body?: Record<string, unknown>,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const init = body ? { method: "POST", body: JSON.stringify(body) } : {};
  return await (await fetch(`${mpUrl}/stand-in/${path}`, init)).json();
}

export function openCheckoutWhileMercadoPagoDown(): Promise<MercadoPagoCheckout> {
  return withOwnMercadoPago(async (mp, host) => {
    const job = await createJob();
    const path = await checkoutPath(job.id, job.client.id);
    await mercadoPagoHook(mp.url, "fault", { unavailable: true });
    const refused = await host.gateway.json("GET", path);
    const stateDown = await jobState(job.id);

    await mercadoPagoHook(mp.url, "fault", { unavailable: false });
    const back = performance.now();
    const opened = await host.gateway.fetch(path, { redirect: "manual" });
    await opened.body?.cancel();
    const recoveryMs = opened.status === 302 ? Math.round(performance.now() - back) : null;
    // The client pays on the page it reached: the job is paid (MercadoPago's webhook).
    const location = opened.headers.get("location");
    if (location) {
      const prefId = new URL(location).searchParams.get("pref_id")!;
      const paid = await fetch(`${mp.url}/checkout/v1/pay`, {
        method: "POST",
        body: new URLSearchParams({ pref_id: prefId }),
        redirect: "manual",
      });
      await paid.body?.cancel();
      for (let i = 0; i < 100 && (await jobState(job.id)).estado !== "PAGADO"; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return {
      down: { status: refused.status, code: refused.body?.code, detail: refused.body?.detail },
      stateDown,
      up: { status: opened.status, location },
      recoveryMs,
      stateAfter: await jobState(job.id),
      mercadoPagoUrl: mp.url,
      violations: await settledViolations(testSql(), { refs: [job.id, job.client.id, job.pro.id] }),
    };
  });
}

export function mercadoPagoCheckoutOutcome(result: MercadoPagoCheckout): FaultOutcome {
  const paidOnce = result.stateAfter.estado === "PAGADO" && result.stateAfter.aplicados === 1;
  return {
    userSaw:
      `payment link: ${result.down.status} "${result.down.detail}"; the job stayed ${result.stateDown.estado}`,
    recoveryMs: result.recoveryMs,
    invariantsHeld: paidOnce && result.stateDown.pagos === 0 && result.violations.length === 0,
    notes: "the same link opened the checkout once MercadoPago was back, and the payment went through",
  };
}

export const MERCADOPAGO_CHECKOUT: FaultScenario = {
  name: "mercadopago-down-checkout",
  fault: "MercadoPago's API down (503) when the client opens the payment link",
  run: async () => mercadoPagoCheckoutOutcome(await openCheckoutWhileMercadoPagoDown()),
};
