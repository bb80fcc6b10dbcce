// Local stand-in for Firebase Cloud Messaging HTTP v1 and Google's OAuth token endpoint, so
// shared/push.ts runs unchanged locally (only FCM_BASE_URL / GOOGLE_OAUTH_TOKEN_URL differ).
//
// - It generates a service-account key pair at start and hands out the key file
//   (FCM_SERVICE_ACCOUNT) whose public half it verifies assertions with.
// - `POST /token` (form: grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer, assertion=<RS256
//   JWT with iss = client_email, aud = this URL, scope ∋ firebase.messaging>) →
//   `{access_token, expires_in, token_type: "Bearer"}`; anything else → 400 invalid_grant.
// - `POST /v1/projects/<project>/messages:send` with `Bearer <access token>` and
//   `{message: {token, notification?, data?, webpush?}}` → `{name}`; bad bearer → 401
//   UNAUTHENTICATED; a token marked unregistered → 404 with FcmError UNREGISTERED; a malformed
//   message → 400 INVALID_ARGUMENT — the bodies FCM answers.
// - Test hooks (not FCM): `GET /stand-in/messages[?token=]` → `{messages, oauth_exchanges}`;
//   `POST /stand-in/unregistered {token}` makes FCM answer UNREGISTERED for that token.

import { exportPKCS8, generateKeyPair, jwtVerify } from "jose";
import type { StandIn } from "./registry.ts";

export type FcmStandIn = { url: string; serviceAccount: Record<string, string>; stop: () => Promise<void> };
type Sent = { name: string; token: string; message: Record<string, unknown>; received_at: string };

const SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

export async function startFcmStandIn(
  options: { port?: number; projectId?: string } = {},
): Promise<FcmStandIn> {
  const projectId = options.projectId ?? "conectar-local";
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const clientEmail = `fcm-sender@${projectId}.iam.gserviceaccount.com`;
  const accessTokens = new Map<string, number>();
  const unregistered = new Set<string>();
  const sent: Sent[] = [];
  let exchanges = 0;
  let tokenUrl = "";

  async function token(req: Request): Promise<Response> {
    const form = new URLSearchParams(await req.text());
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      return json(400, { error: "unsupported_grant_type", error_description: "Invalid grant_type" });
    }
    try {
      const { payload } = await jwtVerify(form.get("assertion") ?? "", publicKey, {
        algorithms: ["RS256"],
        issuer: clientEmail,
        audience: tokenUrl,
        requiredClaims: ["iat", "exp"],
      });
      if (!String(payload.scope ?? "").split(" ").includes(SCOPE)) throw new Error("scope");
      if ((payload.exp as number) - (payload.iat as number) > 3600) throw new Error("lifetime");
    } catch {
      return json(400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
    }
    exchanges++;
    const accessToken = `ya29.local-${crypto.randomUUID()}`;
    accessTokens.set(accessToken, Date.now() + 3600_000);
    return json(200, { access_token: accessToken, expires_in: 3599, token_type: "Bearer" });
  }

  async function send(req: Request, project: string): Promise<Response> {
    const bearer = req.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    if ((accessTokens.get(bearer) ?? 0) < Date.now()) {
      return fcmError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
    }
    if (project !== projectId) {
      return fcmError(403, "PERMISSION_DENIED", "Permission denied", "SENDER_ID_MISMATCH");
    }
    const body = await req.json().catch(() => null) as { message?: Record<string, unknown> } | null;
    const message = body?.message;
    const deviceToken = message?.token;
    const data = (message?.data ?? {}) as Record<string, unknown>;
    if (!message || typeof deviceToken !== "string" || !deviceToken || typeof data !== "object") {
      return fcmError(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", "INVALID_ARGUMENT");
    }
    if (Object.values(data).some((v) => typeof v !== "string")) {
      return fcmError(
        400,
        "INVALID_ARGUMENT",
        "Invalid value in data: values must be strings.",
        "INVALID_ARGUMENT",
      );
    }
    if (unregistered.has(deviceToken)) {
      return fcmError(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED");
    }
    const name = `projects/${projectId}/messages/${crypto.randomUUID()}`;
    sent.push({ name, token: deviceToken, message, received_at: new Date().toISOString() });
    return json(200, { name });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (req.method === "POST" && url.pathname === "/token") return await token(req);
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(url.pathname);
    if (req.method === "POST" && match) return await send(req, decodeURIComponent(match[1]));
    if (req.method === "GET" && url.pathname === "/stand-in/messages") {
      const filter = url.searchParams.get("token");
      return json(200, {
        messages: sent.filter((m) => !filter || m.token === filter),
        oauth_exchanges: exchanges,
      });
    }
    if (req.method === "POST" && url.pathname === "/stand-in/unregistered") {
      const { token } = await req.json() as { token: string };
      unregistered.add(token);
      return json(200, { token });
    }
    return fcmError(404, "NOT_FOUND", "Not found");
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: options.port ?? 0, onListen() {} }, handle);
  const url = `http://127.0.0.1:${server.addr.port}`;
  tokenUrl = `${url}/token`;
  const serviceAccount = {
    type: "service_account",
    project_id: projectId,
    private_key_id: crypto.randomUUID().replaceAll("-", ""),
    private_key: await exportPKCS8(privateKey),
    client_email: clientEmail,
    token_uri: tokenUrl,
  };
  return { url, serviceAccount, stop: () => server.shutdown() };
}

function fcmError(status: number, state: string, message: string, errorCode?: string): Response {
  const details = errorCode
    ? [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode }]
    : [];
  return json(status, { error: { code: status, message, status: state, details } });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** The stack's FCM: a fresh service-account key pair per start. */
export const FCM_STAND_IN: StandIn = {
  name: "FCM (HTTP v1 + OAuth token endpoint)",
  async start(ctx) {
    const server = await startFcmStandIn({ port: ctx.fixedPorts ? 8071 : 0 });
    return {
      env: {
        FCM_BASE_URL: server.url,
        GOOGLE_OAUTH_TOKEN_URL: `${server.url}/token`,
        FCM_SERVICE_ACCOUNT: JSON.stringify(server.serviceAccount),
      },
      stop: server.stop,
    };
  },
};
