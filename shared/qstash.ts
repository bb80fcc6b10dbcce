import type { Client, Receiver } from "@upstash/qstash";
import type { PlatformConfig } from "./config.ts";

/**
 * Thin wrappers around `@upstash/qstash`: publishing (the relay) and signature verification
 * (every `/events` receiver). The SDK loads on first use so functions boot fast, and `devMode`
 * is pinned to false so a stray `QSTASH_DEV` can never redirect messages to a dev server.
 *
 * @example
 * const qstash = createQStashPublisher(config);
 * const messageId = await qstash.publishJSON("https://…/functions/v1/notifications/events", envelope, {
 *   deduplicationId: `${event.id}:notifications`,
 * });
 */
export type QStashPublisher = {
  publishJSON(url: string, body: unknown, options: { deduplicationId: string }): Promise<string>;
};

export type QStashConfig = Pick<
  PlatformConfig,
  "QSTASH_URL" | "QSTASH_TOKEN" | "QSTASH_CURRENT_SIGNING_KEY" | "QSTASH_NEXT_SIGNING_KEY"
>;

export function createQStashPublisher(config: QStashConfig): QStashPublisher {
  let client: Promise<Client> | null = null;
  const load = async () => {
    const { Client } = await import("@upstash/qstash");
    return new Client({
      baseUrl: config.QSTASH_URL,
      token: config.QSTASH_TOKEN ?? "",
      devMode: false,
      enableTelemetry: false,
      // The outbox is the retry loop: a failed publish is retried by the sweep with backoff.
      retry: false,
    });
  };
  return {
    async publishJSON(url, body, options) {
      if (!config.QSTASH_TOKEN) throw new Error("QSTASH_TOKEN is not configured");
      client ??= load();
      const response = await (await client).publishJSON({
        url,
        body,
        deduplicationId: options.deduplicationId,
      });
      return response.messageId;
    },
  };
}

/**
 * Checks an `Upstash-Signature` (HS256 JWT from issuer "Upstash") against the current and next
 * signing keys, the exact public URL the message was addressed to, and the body's SHA-256. QStash
 * sets `exp` five minutes after signing; the SDK only checks it when present, so a signature
 * without one, or with one further ahead than QStash ever sets, is refused here: a captured
 * delivery must not stay replayable.
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

export function createSignatureVerifier(config: QStashConfig): SignatureVerifier {
  let receiver: Promise<Receiver> | null = null;
  const current = config.QSTASH_CURRENT_SIGNING_KEY;
  const next = config.QSTASH_NEXT_SIGNING_KEY;
  return async ({ signature, body, url }) => {
    // Without both keys the SDK would fall back to reading the environment: refuse instead.
    if (!signature || !current || !next) return false;
    receiver ??= import("@upstash/qstash").then(({ Receiver }) =>
      new Receiver({ currentSigningKey: current, nextSigningKey: next, devMode: false })
    );
    try {
      if (!(await expiresSoon(signature))) return false;
      return await (await receiver).verify({ signature, body, url, clockTolerance: 5 });
    } catch {
      return false;
    }
  };
}

/** The JWT's `exp` is present and at most MAX_SIGNATURE_LIFETIME_SECONDS ahead (signature checked after). */
async function expiresSoon(jwt: string): Promise<boolean> {
  // jose loads with the first delivery, not at boot (as the SDK does).
  const { decodeJwt } = await import("jose");
  const { exp } = decodeJwt(jwt);
  return typeof exp === "number" && exp <= Date.now() / 1000 + MAX_SIGNATURE_LIFETIME_SECONDS;
}
