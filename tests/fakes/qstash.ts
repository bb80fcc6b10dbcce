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
// - Delivery: `Upstash-Signature` = HS256 JWT signed with the current signing key, claims
//   `iss: "Upstash"`, `sub` = destination URL, `body` = base64url(SHA-256(body)), `iat`, `nbf`,
//   `exp` (+5 min), `jti`; plus `Upstash-Message-Id` and `Upstash-Retried`. Non-2xx or no answer
//   → retried with exponential backoff (`retryBaseMs · 2^retried`, short for tests); after the
//   last retry, or on 489 with `Upstash-NonRetryable-Error: true`, the message goes to the DLQ.
// - `GET /v2/dlq` → `{messages: [...]}`, `DELETE /v2/dlq/<dlqId>`, `GET /v2/events` (delivery
//   log, newest first), `GET /v2/keys` → `{current, next}`.
// Never set QSTASH_DEV: the SDK would ignore QSTASH_URL and look for its own dev server.

import { SignJWT } from "jose";
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
};
export type QStashStandIn = { url: string; port: number; stop: () => Promise<void> };

type Message = {
  messageId: string;
  url: string;
  method: string;
  header: Record<string, string[]>;
  body: string;
  maxRetries: number;
  timeoutMs: number;
  createdAt: number;
  retried: number;
};
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

export function startQStashStandIn(options: QStashStandInOptions): QStashStandIn {
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const signingKey = new TextEncoder().encode(options.currentSigningKey);
  const dedup = new Map<string, { messageId: string; at: number }>();
  const dlq: (Message & { dlqId: string; responseStatus?: number; responseBody?: string })[] = [];
  const events: LogEvent[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const aborts = new AbortController();
  let stopped = false;

  const logEvent = (m: Message, state: string, extra: Partial<LogEvent> = {}) => {
    events.unshift({ time: Date.now(), messageId: m.messageId, state, url: m.url, ...extra });
    if (events.length > 10_000) events.pop();
  };
  const schedule = (m: Message, delayMs: number) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      deliver(m);
    }, Math.max(0, delayMs));
    timers.add(timer);
  };

  async function deliver(m: Message) {
    if (stopped) return;
    logEvent(m, "ACTIVE");
    let status = 0;
    let responseBody = "";
    let nonRetryable = false;
    try {
      const headers = new Headers();
      for (const [k, values] of Object.entries(m.header)) for (const v of values) headers.append(k, v);
      headers.set("upstash-message-id", m.messageId);
      headers.set("upstash-retried", String(m.retried));
      headers.set("upstash-signature", await sign(m.url, m.body));
      const response = await fetch(m.url, {
        method: m.method,
        headers,
        body: m.method === "GET" || m.method === "HEAD" ? undefined : m.body,
        signal: AbortSignal.any([aborts.signal, AbortSignal.timeout(m.timeoutMs)]),
      });
      status = response.status;
      responseBody = (await response.text()).slice(0, 2000);
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
    dlq.push({ ...m, dlqId: `dlq_${crypto.randomUUID()}`, responseStatus: status, responseBody });
  }

  async function sign(url: string, body: string): Promise<string> {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
    const now = Math.floor(Date.now() / 1000);
    return await new SignJWT({ body: base64url(digest) })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer("Upstash")
      .setSubject(url)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + SIGNATURE_TTL_S)
      .setJti(`jwt_${crypto.randomUUID().replaceAll("-", "")}`)
      .sign(signingKey);
  }

  async function publish(req: Request, destination: string): Promise<Response> {
    if (!/^https?:\/\/[^/]/.test(destination)) {
      return json(400, { error: `invalid destination url: ${destination}` });
    }
    const body = await req.text();
    const header: Record<string, string[]> = {};
    const forward = (name: string, value: string) => (header[name] ??= []).push(value);
    for (const [k, v] of req.headers) {
      if (k.startsWith("upstash-forward-")) forward(k.slice("upstash-forward-".length), v);
    }
    forward("content-type", req.headers.get("content-type") ?? "text/plain");
    const dedupKey = req.headers.get("upstash-deduplication-id") ??
      (req.headers.get("upstash-content-based-deduplication") === "true"
        ? await contentKey(destination, body, header)
        : null);
    const now = Date.now();
    for (const [key, entry] of dedup) if (now - entry.at > DEDUP_WINDOW_MS) dedup.delete(key);
    const seen = dedupKey ? dedup.get(dedupKey) : undefined;
    if (seen) return json(202, { messageId: seen.messageId, url: destination, deduplicated: true });
    const message: Message = {
      messageId: `msg_${crypto.randomUUID().replaceAll("-", "")}`,
      url: destination,
      method: (req.headers.get("upstash-method") ?? "POST").toUpperCase(),
      header,
      body,
      maxRetries: intHeader(req, "upstash-retries") ?? options.defaultRetries ?? 3,
      timeoutMs: durationMs(req.headers.get("upstash-timeout")) ?? options.timeoutMs ?? 15_000,
      createdAt: now,
      retried: 0,
    };
    if (dedupKey) dedup.set(dedupKey, { messageId: message.messageId, at: now });
    const notBefore = intHeader(req, "upstash-not-before");
    const delay = durationMs(req.headers.get("upstash-delay")) ?? (notBefore ? notBefore * 1000 - now : 0);
    logEvent(message, "CREATED");
    schedule(message, delay);
    return json(201, { messageId: message.messageId, url: destination });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (req.headers.get("authorization") !== `Bearer ${options.token}`) {
      return json(401, { error: "Unauthorized" });
    }
    const publishPrefix = "/v2/publish/";
    if (req.method === "POST" && url.pathname.startsWith(publishPrefix)) {
      return await publish(req, decodeURI(url.pathname.slice(publishPrefix.length)) + url.search);
    }
    if (req.method === "GET" && url.pathname === "/v2/dlq") return json(200, { messages: dlq });
    if (req.method === "DELETE" && url.pathname.startsWith("/v2/dlq/")) {
      const index = dlq.findIndex((m) => m.dlqId === url.pathname.slice("/v2/dlq/".length));
      if (index < 0) return json(404, { error: "message not found" });
      dlq.splice(index, 1);
      return new Response(null, { status: 200 });
    }
    if (req.method === "GET" && url.pathname === "/v2/events") {
      const messageId = url.searchParams.get("messageId");
      return json(200, { events: messageId ? events.filter((e) => e.messageId === messageId) : events });
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

function intHeader(req: Request, name: string): number | undefined {
  const value = req.headers.get(name);
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** "30s", "5m", "2h", "1d" (or bare seconds) → milliseconds. */
function durationMs(value: string | null): number | undefined {
  const match = value ? /^(\d+)([smhd]?)$/.exec(value.trim()) : null;
  if (!match) return undefined;
  return Number(match[1]) * { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2]]!;
}

async function contentKey(url: string, body: string, header: Record<string, string[]>): Promise<string> {
  const text = JSON.stringify([url, body, header]);
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
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
