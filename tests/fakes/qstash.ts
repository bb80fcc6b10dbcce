// Local stand-in for Upstash QStash: the publish API subset `@upstash/qstash` uses, and delivery
// exactly as QStash does it, so the relay and every `/events` receiver run unchanged locally.
//
// Protocol (as `@upstash/qstash@2.12.0` speaks it, see its src/client/client.ts):
// - `Authorization: Bearer <token>` on every `/v2/*` call, else 401.
// - `POST /v2/publish/<destination URL>`: body as is; `Upstash-Method`, `Upstash-Delay` ("10s",
//   "2m"…), `Upstash-Not-Before` (unix s), `Upstash-Deduplication-Id`,
//   `Upstash-Content-Based-Deduplication`, `Upstash-Retries`, `Upstash-Timeout`,
//   `Upstash-Forward-<H>` (sent on as `<H>`) and `Content-Type`. Answers 201 `{messageId, url}`;
//   a duplicate within the 10-minute window answers 202 `{messageId, url, deduplicated: true}`.
// - `POST /v2/batch` (the SDK's `batch` / `batchJSON`): a JSON array of `{destination, headers,
//   body}`, each message as if published alone (`headers` are the same `Upstash-*` ones). 200 with
//   one answer per message, in order: `{messageId, url}` (plus `deduplicated: true`), or `{error}`
//   for a message refused on its own (bad destination) while the others go. A body that is not
//   such an array is 400 and nothing is published.
// - Delivery: `Upstash-Signature` = HS256 JWT signed with the current signing key, claims
//   `iss: "Upstash"`, `sub` = destination URL, `body` = base64url(SHA-256(body)), `iat`, `nbf`,
//   `exp` (+5 min), `jti`; plus `Upstash-Message-Id` and `Upstash-Retried`. Messages are delivered
//   in parallel, as QStash does, at most `parallelism` at a time (the rest wait their turn, in
//   the order they became due). Non-2xx or no answer → retried with exponential backoff
//   (`retryBaseMs · 2^retried`, short for tests); after the last retry, or on 489 with
//   `Upstash-NonRetryable-Error: true`, the message goes to the DLQ.
// - The DLQ's API (list with filters and cursor, delete, retry): see ./qstash-dlq.ts.
// - `GET /v2/events` (delivery log, newest first), `GET /v2/keys` → `{current, next}`.
// Never set QSTASH_DEV: the SDK would ignore QSTASH_URL and look for its own dev server.

import { Buffer } from "node:buffer";
import { createHash, createHmac } from "node:crypto";
import { createDeadLetterQueue, json, type QueuedMessage } from "./qstash-dlq.ts";
import type { StandIn } from "./registry.ts";

export type QStashStandInOptions = {
  token: string;
  currentSigningKey: string;
  nextSigningKey: string;
  port?: number;
  /** First retry delay; each further retry doubles it. */
  retryBaseMs?: number;
  /** Retries when the publisher does not say (`Upstash-Retries`). */
  defaultRetries?: number;
  timeoutMs?: number;
  /** Deliveries in flight at once (default 32). */
  parallelism?: number;
};
export type QStashStandIn = { url: string; port: number; stop: () => Promise<void> };

type Message = QueuedMessage;
type LogEvent = {
  time: number;
  messageId: string;
  state: string;
  url: string;
  responseStatus?: number;
  error?: string;
};

const DEDUP_WINDOW_MS = 10 * 60_000;
const SIGNATURE_TTL_S = 300;
const JWT_HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

export function startQStashStandIn(options: QStashStandInOptions): QStashStandIn {
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const dedup = new Map<string, { messageId: string; at: number }>();
  const events: LogEvent[] = [];
  // A dead letter retried is published again as a new message (no deduplication), due at once.
  const dlq = createDeadLetterQueue((dead) => {
    const message: Message = {
      ...dead,
      messageId: `msg_${crypto.randomUUID().replaceAll("-", "")}`,
      createdAt: Date.now(),
      retried: 0,
    };
    logEvent(message, "CREATED");
    schedule(message, 0);
    return message.messageId;
  });
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const aborts = new AbortController();
  let stopped = false;

  // Oldest first (appending is cheap); `GET /v2/events` answers newest first, as QStash does.
  const logEvent = (m: Message, state: string, extra: Partial<LogEvent> = {}) => {
    events.push({ time: Date.now(), messageId: m.messageId, state, url: m.url, ...extra });
    if (events.length > 12_000) events.splice(0, events.length - 10_000);
  };
  const parallelism = options.parallelism ?? 32;
  const due: Message[] = [];
  let delivering = 0;
  const schedule = (m: Message, delayMs: number) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      due.push(m);
      startDue();
    }, Math.max(0, delayMs));
    timers.add(timer);
  };
  function startDue() {
    while (!stopped && delivering < parallelism && due.length) {
      delivering++;
      deliver(due.shift()!).finally(() => {
        delivering--;
        startDue();
      });
    }
  }

  async function deliver(m: Message) {
    if (stopped) return;
    logEvent(m, "ACTIVE");
    let status = 0;
    let responseBody = "";
    let responseHeader: Record<string, string[]> = {};
    let nonRetryable = false;
    try {
      const headers = new Headers();
      for (const [k, values] of Object.entries(m.header)) for (const v of values) headers.append(k, v);
      headers.set("upstash-message-id", m.messageId);
      headers.set("upstash-retried", String(m.retried));
      headers.set("upstash-signature", sign(m.url, m.body));
      const response = await fetch(m.url, {
        method: m.method,
        headers,
        body: m.method === "GET" || m.method === "HEAD" ? undefined : m.body,
        signal: AbortSignal.any([aborts.signal, AbortSignal.timeout(m.timeoutMs)]),
      });
      status = response.status;
      responseBody = (await response.text()).slice(0, 2000);
      responseHeader = Object.fromEntries([...response.headers].map(([k, v]) => [k, [v]]));
      nonRetryable = status === 489 && response.headers.get("upstash-nonretryable-error") === "true";
    } catch (error) {
      responseBody = error instanceof Error ? error.message : String(error);
    }
    if (stopped) return;
    if (status >= 200 && status < 300) return logEvent(m, "DELIVERED", { responseStatus: status });
    if (!nonRetryable && m.retried < m.maxRetries) {
      logEvent(m, "RETRY", { responseStatus: status, error: responseBody });
      const delay = retryBaseMs * 2 ** m.retried;
      m.retried++;
      return schedule(m, delay);
    }
    logEvent(m, "FAILED", { responseStatus: status, error: responseBody });
    dlq.add(m, { status, header: responseHeader, body: responseBody });
  }

  /** HS256 by hand, with node:crypto's synchronous hashes (WebCrypto's async ones cost more here). */
  function sign(url: string, body: string): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: "Upstash",
      sub: url,
      body: createHash("sha256").update(body).digest("base64url"),
      iat: now,
      nbf: now,
      exp: now + SIGNATURE_TTL_S,
      jti: `jwt_${crypto.randomUUID().replaceAll("-", "")}`,
    };
    const input = `${JWT_HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
    return `${input}.${createHmac("sha256", options.currentSigningKey).update(input).digest("base64url")}`;
  }

  /** One message, from `/v2/publish` or one entry of `/v2/batch`: `[status, answer]`. */
  function accept(destination: string, headers: Headers, body: string): [number, object] {
    if (!/^https?:\/\/[^/]/.test(destination)) {
      return [400, { error: `invalid destination url: ${destination}` }];
    }
    const header: Record<string, string[]> = {};
    const forward = (name: string, value: string) => (header[name] ??= []).push(value);
    for (const [k, v] of headers) {
      if (k.startsWith("upstash-forward-")) forward(k.slice("upstash-forward-".length), v);
    }
    forward("content-type", headers.get("content-type") ?? "text/plain");
    const dedupKey = headers.get("upstash-deduplication-id") ??
      (headers.get("upstash-content-based-deduplication") === "true"
        ? contentKey(destination, body, header)
        : null);
    const now = Date.now();
    for (const [key, entry] of dedup) if (now - entry.at > DEDUP_WINDOW_MS) dedup.delete(key);
    const seen = dedupKey ? dedup.get(dedupKey) : undefined;
    if (seen) return [202, { messageId: seen.messageId, url: destination, deduplicated: true }];
    const message: Message = {
      messageId: `msg_${crypto.randomUUID().replaceAll("-", "")}`,
      url: destination,
      method: (headers.get("upstash-method") ?? "POST").toUpperCase(),
      header,
      body,
      maxRetries: intHeader(headers, "upstash-retries") ?? options.defaultRetries ?? 3,
      timeoutMs: durationMs(headers.get("upstash-timeout")) ?? options.timeoutMs ?? 15_000,
      createdAt: now,
      retried: 0,
    };
    if (dedupKey) dedup.set(dedupKey, { messageId: message.messageId, at: now });
    const notBefore = intHeader(headers, "upstash-not-before");
    const delay = durationMs(headers.get("upstash-delay")) ?? (notBefore ? notBefore * 1000 - now : 0);
    logEvent(message, "CREATED");
    schedule(message, delay);
    return [201, { messageId: message.messageId, url: destination }];
  }

  async function batch(req: Request): Promise<Response> {
    let entries: unknown;
    try {
      entries = await req.json();
    } catch {
      return json(400, { error: "the batch must be a JSON array of messages" });
    }
    const valid = Array.isArray(entries) &&
      entries.every((e) =>
        typeof e === "object" && e !== null && typeof e.destination === "string" &&
        (e.body === undefined || typeof e.body === "string") &&
        (e.headers === undefined || (typeof e.headers === "object" && e.headers !== null))
      );
    if (!valid) {
      return json(400, { error: "each message needs a destination, string body and headers object" });
    }
    const answers = [];
    for (const e of entries as { destination: string; headers?: Record<string, string>; body?: string }[]) {
      answers.push(accept(e.destination, new Headers(e.headers ?? {}), e.body ?? "")[1]);
    }
    return json(200, answers);
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (req.headers.get("authorization") !== `Bearer ${options.token}`) {
      return json(401, { error: "Unauthorized" });
    }
    const publishPrefix = "/v2/publish/";
    if (req.method === "POST" && url.pathname.startsWith(publishPrefix)) {
      const destination = decodeURI(url.pathname.slice(publishPrefix.length)) + url.search;
      const [status, answer] = accept(destination, req.headers, await req.text());
      return json(status, answer);
    }
    if (req.method === "POST" && url.pathname === "/v2/batch") return await batch(req);
    const dead = dlq.handle(req, url);
    if (dead) return dead;
    if (req.method === "GET" && url.pathname === "/v2/events") {
      const messageId = url.searchParams.get("messageId");
      const newestFirst = events.toReversed();
      return json(200, {
        events: messageId ? newestFirst.filter((e) => e.messageId === messageId) : newestFirst,
      });
    }
    if (req.method === "GET" && url.pathname === "/v2/keys") {
      return json(200, { current: options.currentSigningKey, next: options.nextSigningKey });
    }
    return json(404, { error: "not found" });
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: options.port ?? 0, onListen() {} }, handle);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    port: server.addr.port,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      aborts.abort();
      await server.shutdown();
    },
  };
}

function intHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** "30s", "5m", "2h", "1d" (or bare seconds) → milliseconds. */
function durationMs(value: string | null): number | undefined {
  const match = value ? /^(\d+)([smhd]?)$/.exec(value.trim()) : null;
  if (!match) return undefined;
  return Number(match[1]) * { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2]]!;
}

function contentKey(url: string, body: string, header: Record<string, string[]>): string {
  return createHash("sha256").update(JSON.stringify([url, body, header])).digest("base64url");
}

/** The stack's QStash: fresh token and signing keys per start; short retries in test runs. */
export const QSTASH_STAND_IN: StandIn = {
  name: "QStash",
  start(ctx) {
    const secret = () => crypto.randomUUID().replaceAll("-", "");
    const options = {
      token: `local-qstash-${secret()}`,
      currentSigningKey: `sig_local_${secret()}`,
      nextSigningKey: `sig_local_${secret()}`,
      port: ctx.fixedPorts ? 8070 : 0,
      retryBaseMs: ctx.fixedPorts ? 1000 : 150,
      defaultRetries: 5,
    };
    const server = startQStashStandIn(options);
    return Promise.resolve({
      env: {
        QSTASH_URL: server.url,
        QSTASH_TOKEN: options.token,
        QSTASH_CURRENT_SIGNING_KEY: options.currentSigningKey,
        QSTASH_NEXT_SIGNING_KEY: options.nextSigningKey,
      },
      stop: server.stop,
    });
  },
};
