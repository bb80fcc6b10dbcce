import { testSql } from "../support/accounts.ts";
import { settledViolations, type Violation } from "../support/invariants.ts";
import { checkoutPath, createJob, type JobState, jobState } from "../payments/helpers.ts";
import type { FaultOutcome, FaultScenario } from "./faults.ts";
import { mercadoPagoHook, withOwnMercadoPago } from "./mercadopago-checkout.ts";
import { eventually } from "./wait.ts";

/**
 * MercadoPago's API down while its webhooks are retried: the client pays (the payment exists at
 * MercadoPago), every notification finds the API unavailable (payments answers 503, MercadoPago
 * retries until it gives up), then the API is back and the scheduled reconciliation
 * (`POST /payments/payments/reconcile`) finds the payment and settles the job, once.
 */
export type MercadoPagoWebhooks = {
  /** The webhook deliveries' answers while the API was down. */
  webhookAnswers: (number | null)[];
  /** The job while the API was down (must still be unpaid and payable). */
  stateDown: JobState;
  /** The reconciliation's report and the job after it. */
  reconcile: { status: number; body: Record<string, number> };
  stateAfter: JobState;
  /** A second reconciliation applies nothing more. */
  again: Record<string, number>;
  /** From the API back to the job paid. */
  recoveryMs: number | null;
  violations: Violation[];
};

export function mercadoPagoDownWhileWebhooksRetried(): Promise<MercadoPagoWebhooks> {
  return withOwnMercadoPago(async (mp, host) => {
    const hook = (path: string, body?: Record<string, unknown>) => mercadoPagoHook(mp.url, path, body);
    const job = await createJob();
    // The browser opens the payment link: payments creates the preference, MercadoPago's page opens.
    const opened = await host.gateway.fetch(await checkoutPath(job.id, job.client.id), {
      redirect: "manual",
    });
    await opened.body?.cancel();
    if (opened.status !== 302) throw new Error(`checkout: ${opened.status}`);
    const [preference] = (await hook("preferences")) as { id: string; external_reference: string }[];

    await hook("fault", { unavailable: true });
    // The client pays; MercadoPago notifies, and retries while payments cannot read the payment.
    const payment = await hook("payments", {
      preference_id: preference.id,
      status: "approved",
      notify: true,
    });
    const webhooks = async () =>
      ((await hook("webhooks")) as { payment_id: number; status: number | null; error?: string }[])
        .filter((w) => w.payment_id === payment.id);
    // All three attempts (the first and both retries) answered: MercadoPago has given up.
    await eventually(async () => {
      const sent = await webhooks();
      return sent.length === 3 && sent.every((w) => w.status !== null || w.error);
    }, 10_000);
    const webhookAnswers = (await webhooks()).map((w) => w.status);
    const stateDown = await jobState(job.id);

    await hook("fault", { unavailable: false });
    const back = performance.now();
    const reconcile = await host.functions.json("POST", "/payments/payments/reconcile", {
      headers: { authorization: `Bearer ${host.sweepSecret}` },
    });
    const stateAfter = await jobState(job.id);
    const recoveryMs = stateAfter.estado === "PAGADO" ? Math.round(performance.now() - back) : null;
    const again = (await host.functions.json("POST", "/payments/payments/reconcile", {
      headers: { authorization: `Bearer ${host.sweepSecret}` },
    })).body;
    return {
      webhookAnswers,
      stateDown,
      reconcile: { status: reconcile.status, body: reconcile.body },
      stateAfter: await jobState(job.id),
      again,
      recoveryMs,
      // Its events (job.paid…) reach their subscribers, the ledger holds the escrow.
      violations: await settledViolations(testSql(), { refs: [job.id, job.client.id, job.pro.id] }),
    };
  }, { retryDelaysMs: [100, 300] });
}

export function mercadoPagoWebhooksOutcome(result: MercadoPagoWebhooks): FaultOutcome {
  const settled = result.stateAfter.estado === "PAGADO" && result.stateAfter.aplicados === 1 &&
    result.stateAfter.cobros === 1;
  return {
    userSaw: `job still ${result.stateDown.estado} while webhooks got ${result.webhookAnswers.join("/")}; ` +
      `paid at the next reconciliation`,
    recoveryMs: result.recoveryMs,
    invariantsHeld: settled && result.violations.length === 0,
    notes: "recovery measured to the reconciliation's answer (scheduled every few minutes in production)",
  };
}

export const MERCADOPAGO_WEBHOOKS: FaultScenario = {
  name: "mercadopago-down-webhooks",
  fault: "MercadoPago's API down (503) while its payment webhooks are retried",
  run: async () => mercadoPagoWebhooksOutcome(await mercadoPagoDownWhileWebhooksRetried()),
};
