import { NOTIFICATIONS_DOWN_PAST_RETRIES } from "./dead-letters.ts";
import { NOTIFICATIONS_DOWN, QSTASH_DOWN } from "./events-outage.ts";
import { FIRESTORE_DOWN } from "./firestore-down.ts";
import { GATEWAY_SIGKILL } from "./gateway-sigkill.ts";
import { MERCADOPAGO_CHECKOUT } from "./mercadopago-checkout.ts";
import { MERCADOPAGO_WEBHOOKS } from "./mercadopago-webhooks.ts";
import { POSTGRES_RESTART } from "./postgres-restart.ts";
import { REDIS_DOWN } from "./redis-down.ts";
import { REDIS_HUNG } from "./redis-hung.ts";

/**
 * The faults issue 14 injects, each as a scenario that starts what it breaks, breaks it, lets it
 * recover and checks the invariants. The tests in this folder run each scenario and assert on its
 * outcome; the soak report (`deno task soak --faults`) runs the same scenarios for the table of
 * docs/reliability.md, so both measure the same thing. Scenarios run with the environment of a
 * started stack (what `startStack` exported) and stop everything they start.
 */
export type FaultOutcome = {
  /** What a user (or a client program) saw while the fault lasted, in a few words. */
  userSaw: string;
  /** From the fault's end to the first success, in ms; null when nothing had to recover. */
  recoveryMs: number | null;
  invariantsHeld: boolean;
  notes?: string;
};
export type FaultScenario = { name: string; fault: string; run(): Promise<FaultOutcome> };

export const FAULT_SCENARIOS: FaultScenario[] = [
  POSTGRES_RESTART,
  REDIS_DOWN,
  REDIS_HUNG,
  QSTASH_DOWN,
  NOTIFICATIONS_DOWN,
  NOTIFICATIONS_DOWN_PAST_RETRIES,
  MERCADOPAGO_CHECKOUT,
  MERCADOPAGO_WEBHOOKS,
  FIRESTORE_DOWN,
  GATEWAY_SIGKILL,
];
