import { Buffer } from "node:buffer";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Client } from "@upstash/qstash";
import type { PlatformConfig } from "./config.ts";

/**
 * QStash for the relay and the receivers: publishing through `@upstash/qstash` (its batch API),
 * its dead-letter queue, and signature verification (every `/events` receiver). The SDK loads on
 * first use so functions boot fast, and `devMode` is pinned to false so a stray `QSTASH_DEV` can
 * never redirect messages to a dev server.
 *
 * @example
 * const qstash = createQStashPublisher(config);
 * const [outcome] = await qstash.batchJSON([{
 *   url: "https://…/functions/v1/notifications/events",
 *   body: envelope,
 *   deduplicationId: `${event.id}:notifications`,
 * }]); // { messageId: "msg_…" } or { error: "…" }
 */
export type QStashMessage = { url: string; body: unknown; deduplicationId: string };
/** QStash's answer for one message of a batch: accepted (a duplicate too) or refused on its own. */
export type QStashOutcome = { messageId: string } | { error: string };
export type QStashPublisher = {
  /** One `POST /v2/batch`; the outcomes are in the messages' order. Throws when the request fails. */
  batchJSON(messages: QStashMessage[]): Promise<QStashOutcome[]>;
};

export type QStashConfig = Pick<
  PlatformConfig,
  "QSTASH_URL" | "QSTASH_TOKEN" | "QSTASH_CURRENT_SIGNING_KEY" | "QSTASH_NEXT_SIGNING_KEY"
>;

export function createQStashPublisher(config: QStashConfig): QStashPublisher {
  const client = lazyClient(config);
  return {
    async batchJSON(messages) {
      if (!messages.length) return [];
      const answers: unknown[] = await (await client()).batchJSON(
        messages.map(({ url, body, deduplicationId }) => ({ url, body, deduplicationId })),
      );
      return messages.map((_, i) => outcomeOf(answers[i]));
    },
  };
}

/**
 * QStash's dead-letter queue (DLQ), through the SDK's `client.dlq`: where QStash moves a message
 * after its last retry, or at once when the receiver answered 489 `Upstash-NonRetryable-Error`.
 * shared/dead-letters.ts redrives ours.
 *
 * @example
 * const dlq = createQStashDeadLetters(config);
 * const { messages, cursor } = await dlq.list({ urls: ["https://…/notifications/events"], count: 100 });
 * await dlq.retry([messages[0].dlqId]); // republished as a fresh message, gone from the DLQ
 */
export type DeadLetter = {
  dlqId: string;
  url: string;
  /** The message's body (absent when it is not UTF-8: QStash sends `bodyBase64` instead). */
  body?: string;
  /** The status of the last delivery attempt (0 or absent: no answer). */
  responseStatus?: number;
  responseBody?: string;
};
export type QStashDeadLetters = {
  /** One page of the dead letters addressed to any of `urls`; `cursor` is absent on the last page. */
  list(options: { urls: string[]; count: number; cursor?: string }): Promise<
    { messages: DeadLetter[]; cursor?: string }
  >;
  /** Removes them from the DLQ; answers how many QStash deleted. */
  delete(dlqIds: string[]): Promise<number>;
  /** Republishes them (each a new message, with its retries) and removes them from the DLQ. */
  retry(dlqIds: string[]): Promise<void>;
};

export function createQStashDeadLetters(config: QStashConfig): QStashDeadLetters {
  const client = lazyClient(config);
  return {
    async list({ urls, count, cursor }) {
      if (!urls.length) return { messages: [] };
      const page = await (await client()).dlq.listMessages({ filter: { url: urls }, count, cursor });
      return {
        messages: page.messages.map((m) => ({
          dlqId: m.dlqId,
          url: m.url,
          body: m.body,
          responseStatus: m.responseStatus,
          responseBody: m.responseBody,
        })),
        cursor: page.cursor || undefined,
      };
    },
    async delete(dlqIds) {
      if (!dlqIds.length) return 0;
      return (await (await client()).dlq.delete(dlqIds)).deleted;
    },
    async retry(dlqIds) {
      if (!dlqIds.length) return;
      await (await client()).dlq.retry(dlqIds);
    },
  };
}

/** The SDK's client, loaded on first use (functions boot faster without it). */
function lazyClient(config: QStashConfig): () => Promise<Client> {
  let client: Promise<Client> | null = null;
  const load = async () => {
    const { Client } = await import("@upstash/qstash");
    return new Client({
      baseUrl: config.QSTASH_URL,
      token: config.QSTASH_TOKEN ?? "",
      devMode: false,
      enableTelemetry: false,
      // Our callers are the retry loops: the outbox sweep republishes, the next sweep redrives.
      retry: false,
    });
  };
  return () => {
    if (!config.QSTASH_TOKEN) return Promise.reject(new Error("QSTASH_TOKEN is not configured"));
    client ??= load();
    return client;
  };
}

function outcomeOf(answer: unknown): QStashOutcome {
  const { messageId, error } = (answer ?? {}) as { messageId?: unknown; error?: unknown };
  if (typeof messageId === "string" && messageId) return { messageId };
  return { error: typeof error === "string" && error ? error : "QStash did not accept the message" };
}

/**
 * Checks an `Upstash-Signature` (HS256 JWT from issuer "Upstash") against the current and next
 * signing keys, the exact public URL the message was addressed to, and the body's SHA-256 — what
 * the SDK's `Receiver` checks. QStash sets `exp` five minutes after signing; a signature without
 * one, or with one further ahead than QStash ever sets, is refused: a captured delivery must not
 * stay replayable. Verified with node:crypto's synchronous HMAC: every delivery is checked, and
 * WebCrypto's async verify (the SDK's, through jose) costs many times more once deliveries run in
 * parallel.
 *
 * @example
 * const verify = createSignatureVerifier(config);
 * if (!(await verify({ signature, body, url: "https://…/functions/v1/notifications/events" }))) throw 401;
 */
export type SignatureVerifier = (
  request: { signature: string | undefined; body: string; url: string },
) => Promise<boolean>;

/** QStash's signatures live 5 minutes; anything longer-lived than this (with skew) is refused. */
const MAX_SIGNATURE_LIFETIME_SECONDS = 5 * 60 + 60;
const CLOCK_TOLERANCE_SECONDS = 5;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

type Claims = { iss?: unknown; sub?: unknown; exp?: unknown; nbf?: unknown; body?: unknown };

export function createSignatureVerifier(config: QStashConfig): SignatureVerifier {
  const current = config.QSTASH_CURRENT_SIGNING_KEY;
  const next = config.QSTASH_NEXT_SIGNING_KEY;
  return ({ signature, body, url }) => {
    if (!signature || !current || !next) return Promise.resolve(false);
    const claims = hs256Claims(signature, [current, next]);
    const now = Date.now() / 1000;
    return Promise.resolve(
      !!claims && claims.iss === "Upstash" && claims.sub === url &&
        typeof claims.exp === "number" && claims.exp > now - CLOCK_TOLERANCE_SECONDS &&
        claims.exp <= now + MAX_SIGNATURE_LIFETIME_SECONDS &&
        (claims.nbf === undefined ||
          (typeof claims.nbf === "number" && claims.nbf <= now + CLOCK_TOLERANCE_SECONDS)) &&
        typeof claims.body === "string" && unpadded(claims.body) === sha256Base64url(body),
    );
  };
}

/** The claims of a JWT whose header says HS256 and whose signature one of `keys` made, else null. */
function hs256Claims(jwt: string, keys: string[]): Claims | null {
  const parts = jwt.split(".");
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return null;
  const [header, payload, signature] = parts;
  const given = Buffer.from(signature, "base64url");
  const signedBy = (key: string) => {
    const expected = createHmac("sha256", key).update(`${header}.${payload}`).digest();
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  if (!keys.some(signedBy)) return null;
  try {
    if (JSON.parse(Buffer.from(header, "base64url").toString()).alg !== "HS256") return null;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    return typeof claims === "object" && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

function sha256Base64url(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

function unpadded(base64: string): string {
  return base64.replace(/=+$/, "");
}
