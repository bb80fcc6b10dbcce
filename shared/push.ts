import type { DeliveryConfig } from "./config-delivery.ts";

/**
 * Push through FCM HTTP v1 with plain fetch (firebase-admin's messaging cannot be pointed at
 * another host and is reported to fail on the edge runtime). A service-account JWT (RS256, signed
 * with jose) is exchanged for an OAuth access token, cached until shortly before it expires; each
 * device token gets its own `messages:send` call. Tokens FCM reports as gone (UNREGISTERED,
 * INVALID_ARGUMENT, SENDER_ID_MISMATCH) come back as `invalid_token` so the caller removes them.
 *
 * @example
 * const push = createFcmSender(config);
 * const outcome = await push.send(deviceToken, { title: "Nueva oferta", body: "Ana te envió…" });
 * if (outcome.status === "invalid_token") await forgetToken(deviceToken);
 */
export type PushMessage = { title: string; body: string; data?: Record<string, string>; link?: string };
export type PushOutcome =
  | { status: "sent"; id: string }
  | { status: "invalid_token"; code: string }
  | { status: "error"; error: string; retryable: boolean };
export type PushSender = {
  /** False without a service account: push is skipped. */
  readonly enabled: boolean;
  send(deviceToken: string, message: PushMessage): Promise<PushOutcome>;
};
export type PushConfig = Pick<
  DeliveryConfig,
  "FCM_BASE_URL" | "GOOGLE_OAUTH_TOKEN_URL" | "FCM_SERVICE_ACCOUNT"
>;

const SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
const TIMEOUT_MS = 10_000;
const INVALID_TOKEN_CODES = new Set(["UNREGISTERED", "INVALID_ARGUMENT", "SENDER_ID_MISMATCH"]);

export function createFcmSender(config: PushConfig): PushSender {
  const account = config.FCM_SERVICE_ACCOUNT;
  let cached: { token: string; expiresAt: number } | null = null;
  let minting: Promise<string> | null = null;

  async function mintAccessToken(): Promise<string> {
    if (!account) throw new Error("FCM_SERVICE_ACCOUNT is not configured");
    // jose loads with the first push, not at boot.
    const { importPKCS8, SignJWT } = await import("jose");
    const key = await importPKCS8(account.private_key, "RS256");
    const assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({
        alg: "RS256",
        typ: "JWT",
        ...(account.private_key_id ? { kid: account.private_key_id } : {}),
      })
      .setIssuer(account.client_email)
      .setAudience(config.GOOGLE_OAUTH_TOKEN_URL)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(key);
    const response = await fetch(config.GOOGLE_OAUTH_TOKEN_URL, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = await response.json().catch(() => ({})) as { access_token?: string; expires_in?: number };
    if (!response.ok || !body.access_token) {
      throw new Error(`OAuth token exchange failed with ${response.status}`);
    }
    cached = { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
    return body.access_token;
  }

  function accessToken(): Promise<string> {
    if (cached && cached.expiresAt - 60_000 > Date.now()) return Promise.resolve(cached.token);
    minting ??= mintAccessToken().finally(() => minting = null);
    return minting;
  }

  async function sendOnce(deviceToken: string, message: PushMessage): Promise<Response> {
    const url = `${config.FCM_BASE_URL.replace(/\/+$/, "")}/v1/projects/${account!.project_id}/messages:send`;
    return await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${await accessToken()}`, "content-type": "application/json" },
      body: JSON.stringify({ message: fcmMessage(deviceToken, message) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  }

  return {
    enabled: Boolean(account),
    async send(deviceToken, message) {
      try {
        let response = await sendOnce(deviceToken, message);
        if (response.status === 401) {
          // Revoked or expired early: mint a fresh token once.
          await response.body?.cancel();
          cached = null;
          response = await sendOnce(deviceToken, message);
        }
        return await outcomeOf(response);
      } catch (error) {
        return {
          status: "error",
          error: error instanceof Error ? error.message : String(error),
          retryable: true,
        };
      }
    },
  };
}

function fcmMessage(token: string, message: PushMessage) {
  return {
    token,
    notification: { title: message.title, body: message.body },
    data: message.data ?? {},
    webpush: {
      notification: { icon: "/icon-192x192.png", badge: "/badge-72x72.png" },
      // FCM accepts only HTTPS links here.
      ...(message.link?.startsWith("https://") ? { fcm_options: { link: message.link } } : {}),
    },
  };
}

type FcmError = { error?: { status?: string; message?: string; details?: { errorCode?: string }[] } };

async function outcomeOf(response: Response): Promise<PushOutcome> {
  const body = await response.json().catch(() => ({})) as { name?: string } & FcmError;
  if (response.ok) return { status: "sent", id: body.name ?? "" };
  const code = body.error?.details?.find((d) => d.errorCode)?.errorCode ?? body.error?.status ?? "UNKNOWN";
  if (INVALID_TOKEN_CODES.has(code)) return { status: "invalid_token", code };
  const retryable = response.status === 429 || response.status >= 500;
  return { status: "error", error: `FCM ${response.status} ${code}`, retryable };
}
