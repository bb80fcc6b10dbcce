import { SignJWT } from "jose";
import { emitEvent } from "../../shared/events.ts";
import type { Platform } from "../../shared/platform.ts";
import { testSql } from "../support/accounts.ts";
import { testEnv } from "../support/env.ts";
import { testPlatform } from "../support/platform.ts";

/**
 * Shared by the event and notification tests: a platform whose relay publishes to the run's
 * QStash stand-in (delivering to the stack's functions host), polling, QStash-style signatures
 * for forged deliveries, and readers for the e-mail sink and the FCM stand-in.
 */
let shared: Platform | null = null;
export function eventsPlatform(): Platform {
  shared ??= testPlatform("auth");
  return shared;
}

/** Emits one event the production way: in a transaction; the relay publishes after commit. */
export async function emit(
  type: string,
  payload: Record<string, unknown>,
  options: { aggregateId?: string; platform?: Platform; producer?: string } = {},
): Promise<string> {
  const platform = options.platform ?? eventsPlatform();
  return await platform.db.asService((tx) =>
    emitEvent(tx, {
      type,
      aggregateId: options.aggregateId ?? String(payload.user_id ?? crypto.randomUUID()),
      producer: options.producer ?? "tests",
      payload,
    })
  );
}

/** Polls `probe` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(
  probe: () => Promise<T>,
  options: { timeoutMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (true) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? "a condition"}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function notificationsEventsUrl(): string {
  return `${testEnv().FUNCTIONS_PUBLIC_URL}/notifications/events`;
}

/** An `Upstash-Signature` as QStash makes it; the options forge bad ones. */
export async function qstashSignature(
  body: string,
  url: string,
  options: { key?: string; expiresInS?: number; withoutExp?: boolean; issuer?: string; bodyHashOf?: string } =
    {},
): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(options.bodyHashOf ?? body)),
  );
  const hash = btoa(String.fromCharCode(...digest)).replaceAll("+", "-").replaceAll("/", "_").replace(
    /=+$/,
    "",
  );
  const now = Math.floor(Date.now() / 1000);
  const expires = now + (options.expiresInS ?? 300);
  const jwt = new SignJWT({ body: hash })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(options.issuer ?? "Upstash")
    .setSubject(url)
    .setIssuedAt(Math.min(now, expires - 1))
    .setNotBefore(Math.min(now, expires - 1))
    .setJti(crypto.randomUUID());
  if (!options.withoutExp) jwt.setExpirationTime(expires);
  return await jwt.sign(new TextEncoder().encode(options.key ?? testEnv().QSTASH_CURRENT_SIGNING_KEY));
}

/** An event envelope as the relay publishes it. */
export function envelope(type: string, payload: Record<string, unknown>, id = crypto.randomUUID()) {
  return {
    id,
    type,
    aggregate_id: String(payload.user_id ?? id),
    producer: "tests",
    payload,
    created_at: new Date().toISOString(),
  };
}

export async function notificationsOf(userId: string) {
  return await testSql()`
    select id, tipo, categoria, titulo, mensaje, data, event_id, leida
    from public.notifications where usuario_id = ${userId} order by created_at`;
}

export async function outboxRow(id: string) {
  const [row] =
    await testSql()`select status, attempts, last_error, unreachable, published_at from public.outbox where id = ${id}`;
  return row;
}

export type SinkEmail = { id: string; to: string[]; subject: string; html: string; text: string };
export async function emailsTo(address: string): Promise<SinkEmail[]> {
  const env = testEnv();
  const response = await fetch(`${env.EMAIL_API_URL}/emails?to=${encodeURIComponent(address)}`, {
    headers: { authorization: `Bearer ${env.EMAIL_API_KEY}` },
  });
  return (await response.json()).data;
}

export async function pushesTo(
  token: string,
): Promise<{ token: string; message: Record<string, unknown> }[]> {
  const response = await fetch(
    `${testEnv().FCM_BASE_URL}/stand-in/messages?token=${encodeURIComponent(token)}`,
  );
  return (await response.json()).messages;
}

export async function markTokenUnregistered(token: string): Promise<void> {
  const response = await fetch(`${testEnv().FCM_BASE_URL}/stand-in/unregistered`, {
    method: "POST",
    body: JSON.stringify({ token }),
  });
  await response.body?.cancel();
}
