import type { NotificationsConfig } from "./config.ts";
import type { Sql } from "../../shared/db.ts";
import type { EmailSender } from "../../shared/email.ts";
import { createBatcher } from "../../shared/batcher.ts";
import { describeError, type Logger } from "../../shared/log.ts";
import { backoffMs } from "../../shared/outbox-store.ts";
import type { PushSender } from "../../shared/push.ts";

/**
 * Sends the e-mail and push rows event handlers wrote (`notification_deliveries`): right after
 * the handler's commit (`sendSoon`: rows committed while earlier sends run go out together, one
 * claim and one settle for all) and again from the sweep for whatever failed or was left behind
 * (`sweep`). Claims are `skip locked` leases, as in the outbox, so a row is sent by one worker at
 * a time; e-mails carry the row id as `Idempotency-Key`, so a resend after a lost answer reaches
 * the person once. Gives up (`dead`) after `MAX_ATTEMPTS`.
 */
export type DeliveryReport = { claimed: number; sent: number; skipped: number; failed: number; dead: number };
export type DeliveryDispatcher = {
  send(ids: string[]): Promise<DeliveryReport>;
  /** `send` in the background, batched with other rows committed meanwhile (never throws). */
  sendSoon(ids: string[]): void;
  sweep(options?: { asOf?: Date; limit?: number }): Promise<DeliveryReport>;
  /** Resolves when every `sendSoon` so far has been sent (before the connections close). */
  drain(): Promise<void>;
};
type Row = {
  id: string;
  usuario_id: string;
  channel: "email" | "push";
  payload: Record<string, unknown>;
  attempts: number;
};
type Outcome = { status: "sent" | "skipped" | "failed" | "dead"; error?: string };

export const MAX_ATTEMPTS = 10;

export function createDeliveryDispatcher(deps: {
  sql: Sql;
  log: Logger;
  config: Pick<
    NotificationsConfig,
    "RELAY_LEASE_MS" | "RELAY_PENDING_GRACE_MS" | "RELAY_BACKOFF_BASE_MS" | "RELAY_BACKOFF_MAX_MS"
  >;
  email: EmailSender;
  push: PushSender;
}): DeliveryDispatcher {
  const { sql, log, config } = deps;
  const lease = config.RELAY_LEASE_MS / 1000;

  async function deliver(row: Row): Promise<Outcome> {
    if (row.channel === "email") {
      const p = row.payload as { to: string; subject: string; html: string; text: string };
      const result = await deps.email.send({ ...p, idempotencyKey: row.id });
      if (result.status === "sent") return { status: "sent" };
      return { status: result.retryable ? "failed" : "dead", error: result.error };
    }
    if (!deps.push.enabled) return { status: "skipped" };
    const tokens = await sql<{ id: string; token: string }[]>`
      select id, token from public.device_tokens where usuario_id = ${row.usuario_id}`;
    const p = row.payload as { title: string; body: string; data: Record<string, string> };
    let sent = 0;
    let error: string | null = null;
    for (const t of tokens) {
      const result = await deps.push.send(t.token, p);
      if (result.status === "sent") sent++;
      else if (result.status === "invalid_token") {
        await sql`delete from public.device_tokens where id = ${t.id}`;
      } else if (result.retryable) error ??= result.error;
    }
    // Once any device got it the person has been told: never push the same message twice.
    if (sent) return { status: "sent" };
    return error ? { status: "failed", error } : { status: "skipped" };
  }

  async function settleSent(ids: string[]) {
    if (!ids.length) return;
    // A reset or verification link is a secret: keep no copy once it has been sent.
    await sql`
      update public.notification_deliveries
      set status = 'sent', sent_at = now(), last_error = null,
          payload = case when payload ->> 'sensitive' = 'true' then payload - 'html' - 'text' else payload end
      where id = any(${ids}::uuid[])`;
  }

  async function settle(row: Row, outcome: Outcome) {
    if (outcome.status === "failed" && row.attempts < MAX_ATTEMPTS) {
      const delay = backoffMs(row.attempts, config.RELAY_BACKOFF_BASE_MS, config.RELAY_BACKOFF_MAX_MS) / 1000;
      await sql`
        update public.notification_deliveries
        set status = 'failed', last_error = ${(outcome.error ?? "").slice(0, 1000)},
            next_attempt_at = now() + make_interval(secs => ${delay})
        where id = ${row.id} and attempts = ${row.attempts}`;
    } else {
      const status = outcome.status === "failed" ? "dead" : outcome.status;
      const error = outcome.error?.slice(0, 1000) ?? null;
      await sql`update public.notification_deliveries set status = ${status}, last_error = ${error} where id = ${row.id}`;
      if (status === "dead") {
        log.error("delivery given up", { delivery_id: row.id, channel: row.channel, error });
      }
    }
  }

  /** Delivers every row at once, then records the sent ones in one statement, the rest one by one. */
  async function run(rows: Row[]): Promise<DeliveryReport> {
    const report: DeliveryReport = { claimed: rows.length, sent: 0, skipped: 0, failed: 0, dead: 0 };
    const outcomes = await Promise.all(rows.map(async (row): Promise<Outcome> => {
      try {
        return await deliver(row);
      } catch (error) {
        return { status: "failed", error: String(describeError(error).error) };
      }
    }));
    await settleSent(rows.filter((_, i) => outcomes[i].status === "sent").map((row) => row.id));
    await Promise.all(rows.map(async (row, i) => {
      const outcome = outcomes[i];
      if (outcome.status !== "sent") await settle(row, outcome);
      const counted = outcome.status === "failed" && row.attempts >= MAX_ATTEMPTS ? "dead" : outcome.status;
      report[counted]++;
    }));
    return report;
  }

  const background = createBatcher<string>({
    parallel: 2,
    max: 100,
    run: (ids) => dispatcher.send(ids),
    onError: (error) => log.error("after-commit delivery failed; the sweep will retry", describeError(error)),
  });

  const dispatcher: DeliveryDispatcher = {
    sendSoon: (ids) => background.add(ids),
    drain: () => background.drain(),
    async send(ids) {
      const rows = await sql<Row[]>`
        with mine as (
          select id from public.notification_deliveries
          where id = any(${ids}::uuid[]) and status = 'pending' for update skip locked)
        update public.notification_deliveries d
        set status = 'sending', attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${lease})
        from mine where d.id = mine.id
        returning d.id, d.usuario_id, d.channel, d.payload, d.attempts`;
      return await run(rows);
    },
    async sweep(options = {}) {
      const rows = await sql<Row[]>`
        with clock as (select coalesce(${options.asOf ?? null}::timestamptz, now()) as t),
        due as (
          select d.id from public.notification_deliveries d, clock
          where d.status in ('pending', 'sending', 'failed') and d.next_attempt_at <= clock.t
            and (d.status <> 'pending'
              or d.next_attempt_at <= clock.t - make_interval(secs => ${
        config.RELAY_PENDING_GRACE_MS / 1000
      }))
          order by d.next_attempt_at limit ${options.limit ?? 100}
          for update of d skip locked)
        update public.notification_deliveries d
        set status = 'sending', attempts = d.attempts + 1, next_attempt_at = clock.t + make_interval(secs => ${lease})
        from due, clock where d.id = due.id
        returning d.id, d.usuario_id, d.channel, d.payload, d.attempts`;
      return await run(rows);
    },
  };
  return dispatcher;
}
