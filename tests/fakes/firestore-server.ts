// Local stand-in for Cloud Firestore as firebase-admin talks to it with `preferRest: true`, so
// shared/firestore.ts runs unchanged locally (only the injected emulator host differs).
//
// - It generates a service-account key pair at start and hands out the key file
//   (FIREBASE_SERVICE_ACCOUNT); every RPC must carry `Authorization: Bearer <RS256 JWT>` signed
//   with it (firebase-admin self-signs one with iss = client_email and a datastore scope, and
//   never calls a token endpoint) → else 401 UNAUTHENTICATED.
// - RPCs: `:commit` (update / updateMask / currentDocument / delete / updateTransforms),
//   `:batchWrite`, `:batchGet`, `:runQuery`, `:runAggregationQuery` (count, sum, avg),
//   `:beginTransaction`, `:rollback`. Transactions are optimistic: a commit whose reads changed
//   since answers 409 ABORTED and the client retries (firestore-store.ts).
// - Test hooks (not Firestore): `GET /stand-in/documents?prefix=chats/` → `{documents: [{path,
//   name, data, fields, createTime, updateTime}]}`, `GET /stand-in/documents/<path>`,
//   `GET /stand-in/stats` → `{commits, aborted, open_transactions}`, `POST /stand-in/reset`,
//   `POST /stand-in/fault {"unavailable": true, "delayMs"?: n}` (503 UNAVAILABLE / slow answers).

import { exportPKCS8, generateKeyPair, jwtVerify } from "jose";
import { createFirestoreHandler, type FaultState } from "./firestore-http.ts";
import { createStore } from "./firestore-store.ts";

export type FirestoreServiceAccount = {
  type: "service_account";
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  token_uri: string;
};
export type FirestoreStandIn = {
  url: string;
  /** `127.0.0.1:<port>`, the value for the client's emulator host. */
  host: string;
  serviceAccount: FirestoreServiceAccount;
  stop: () => Promise<void>;
};

const SCOPES = [
  "https://www.googleapis.com/auth/datastore",
  "https://www.googleapis.com/auth/cloud-platform",
];

export async function startFirestoreStandIn(
  options: { port?: number; projectId?: string } = {},
): Promise<FirestoreStandIn> {
  const projectId = options.projectId ?? "conectar-local";
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const clientEmail = `firebase-adminsdk@${projectId}.iam.gserviceaccount.com`;
  const faults: FaultState = { unavailable: false, delayMs: 0 };
  const verified = new Map<string, number>();

  async function verifyBearer(token: string): Promise<boolean> {
    if ((verified.get(token) ?? 0) > Date.now()) return true;
    try {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: ["RS256"],
        issuer: clientEmail,
        requiredClaims: ["iat", "exp"],
      });
      const scopes = String(payload.scope ?? "").split(" ");
      if (!SCOPES.some((s) => scopes.includes(s)) && !payload.aud) return false;
      if (verified.size > 1000) verified.clear();
      verified.set(token, (payload.exp as number) * 1000);
      return true;
    } catch {
      return false;
    }
  }

  const handler = createFirestoreHandler({ store: createStore(), projectId, faults, verifyBearer });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 0, onListen() {} },
    handler.handle,
  );
  const host = `127.0.0.1:${server.addr.port}`;
  const serviceAccount: FirestoreServiceAccount = {
    type: "service_account",
    project_id: projectId,
    private_key_id: crypto.randomUUID().replaceAll("-", ""),
    private_key: await exportPKCS8(privateKey),
    client_email: clientEmail,
    // Never called by firebase-admin's Firestore; points here so a stray token exchange fails locally.
    token_uri: `http://${host}/token`,
  };
  return { url: `http://${host}`, host, serviceAccount, stop };

  async function stop(): Promise<void> {
    handler.cancelDelays();
    await server.shutdown();
  }
}
