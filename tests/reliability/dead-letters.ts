import { createQStashDeadLetters } from "../../shared/qstash.ts";
import { testSql } from "../support/accounts.ts";
import { testConfig } from "../support/env.ts";
import {
  allPublished,
  type EventsOutage,
  eventsOutageOutcome,
  handled,
  registrations,
  restarted,
  scenarioQStash,
} from "./events-outage.ts";
import type { FaultScenario } from "./faults.ts";
import { startHostProcess } from "./host-process.ts";
import { eventually } from "./wait.ts";
import { testPlatform } from "../support/platform.ts";

/**
 * A subscriber down for longer than QStash retries: the functions host serving `notifications` is
 * killed while events are published to a QStash of the scenario's own that gives up quickly (two
 * retries, 0.1 s apart), so every delivery ends in its dead-letter queue. Once the host is back,
 * its sweep redrives them (shared/dead-letters.ts) and each event is handled once.
 */
export type DeadLetterOutage = EventsOutage & {
  /** Dead letters of the events before recovery (one per event and subscriber). */
  deadLettered: number;
  /** Still in the DLQ after recovery (there must be none). */
  deadLettersLeft: number;
};

export async function notificationsDownPastRetries(): Promise<DeadLetterOutage> {
  const env = Deno.env.toObject();
  const qstash = scenarioQStash({ retryBaseMs: 100, defaultRetries: 2 });
  const host = await startHostProcess({ ...env, QSTASH_URL: qstash.url });
  const overrides = { QSTASH_URL: qstash.url, FUNCTIONS_PUBLIC_URL: host.url };
  const config = testConfig(overrides);
  // The producer: a function of its own publishing to that QStash, addressed to the host.
  const producer = testPlatform("auth", overrides);
  const dlq = createQStashDeadLetters(config);
  const deadLetters = async () =>
    (await dlq.list({ urls: [`${host.url}/notifications/events`], count: 100 })).messages.length;
  try {
    await host.kill();
    const registered = await registrations(producer);
    const subscribers = (await handled(testSql(), registered.eventIds))[0].subscribers;
    await allPublished(registered.eventIds);
    // QStash gave up on every delivery: nothing but its DLQ holds them now.
    await eventually(async () => (await deadLetters()) >= registered.eventIds.length * subscribers, 10_000);
    const deadLettered = await deadLetters();
    const outcome = await restarted(host, registered);
    return { ...outcome, deadLettered, deadLettersLeft: await deadLetters() };
  } finally {
    await producer.close();
    await host.stop();
    await qstash.stop();
  }
}

export const NOTIFICATIONS_DOWN_PAST_RETRIES: FaultScenario = {
  name: "notifications-down-past-retries",
  fault: "the functions host serving notifications down for longer than QStash retries (dead letters)",
  run: async () => {
    const result = await notificationsDownPastRetries();
    const outcome = eventsOutageOutcome(result, "nothing at once; notifications late");
    return {
      ...outcome,
      invariantsHeld: outcome.invariantsHeld && result.deadLettersLeft === 0,
      notes: `${result.deadLettered} dead letters redriven by the sweep; ${outcome.notes}`,
    };
  },
};
