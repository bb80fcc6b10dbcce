import type { Firestore } from "firebase-admin/firestore";
import { AppError } from "./errors.ts";

/**
 * Firestore (chat messages) through firebase-admin over REST. The SDK costs ~300 ms to import, so
 * it loads on first use; each handle owns a uniquely named firebase app, so several handles (and
 * other firebase-admin users) coexist in one process.
 *
 * Why the shape: gRPC breaks on Supabase's edge runtime, hence `preferRest: true`. An unreachable
 * Firestore is retried silently for minutes, hence every call goes through `run`, which puts a
 * deadline on it and answers 503. The service account is always explicit, because without one the
 * SDK probes the cloud metadata server and can crash the process with an unhandled rejection.
 *
 * @example
 * const firestore = createFirestore({ serviceAccount, timeoutMs: 5_000 });
 * const snap = await firestore.run((db) => db.doc(`chats/${chatId}`).get());
 * await firestore.close();
 */
export type FirestoreServiceAccount = {
  project_id: string;
  client_email: string;
  private_key: string;
  private_key_id?: string;
};

/**
 * @example
 * const options: FirestoreOptions = { serviceAccount, emulatorHost: "127.0.0.1:8086", timeoutMs: 5_000 };
 */
export type FirestoreOptions = {
  serviceAccount: FirestoreServiceAccount;
  /** `host:port` of a local REST stand-in or emulator (plain http); unset in production. */
  emulatorHost?: string;
  /** Deadline for one `run` call, SDK loading included. */
  timeoutMs: number;
};

/**
 * @example
 * const handle: FirestoreHandle = createFirestore(options);
 * const count = await handle.run(async (db) => (await db.collection("chats").count().get()).data().count);
 */
export type FirestoreHandle = {
  /** The client, initialised on first call. No deadline: prefer `run`. */
  db(): Promise<Firestore>;
  /**
   * Runs `fn` with a deadline. A timeout, UNAVAILABLE or a connection failure becomes
   * `AppError("service_unavailable")`; other Firestore errors (e.g. `code` 6 ALREADY_EXISTS)
   * pass through unchanged.
   */
  run<T>(fn: (db: Firestore) => Promise<T>): Promise<T>;
  /** Ends the client's connections; the handle cannot be used afterwards. */
  close(): Promise<void>;
};

const UNAVAILABLE_DETAIL = "El chat no está disponible en este momento. Intentá de nuevo.";
// gRPC codes that mean "Firestore could not be reached in time", not "the request was wrong".
const UNAVAILABLE_CODES = new Set([4, 14]);
const CONNECTION_ERRORS =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|fetch failed|connection|socket hang up/i;
const GAPIC_METHODS = [
  "GetDocument",
  "ListDocuments",
  "UpdateDocument",
  "DeleteDocument",
  "BatchGetDocuments",
  "BeginTransaction",
  "Commit",
  "Rollback",
  "RunQuery",
  "RunAggregationQuery",
  "PartitionQuery",
  "ListCollectionIds",
  "BatchWrite",
  "CreateDocument",
];

/**
 * Builds a lazy Firestore handle. Validates the service account now, so a bad secret fails at
 * boot rather than on the first chat message.
 *
 * @example
 * const firestore = createFirestore({
 *   serviceAccount: config.FIREBASE_SERVICE_ACCOUNT,
 *   emulatorHost: config.FIRESTORE_HOST,
 *   timeoutMs: 5_000,
 * });
 * await firestore.run((db) => db.doc("chats/abc").set({ updatedAt: new Date() }, { merge: true }));
 */
export function createFirestore(options: FirestoreOptions): FirestoreHandle {
  const account = options.serviceAccount;
  for (const key of ["project_id", "client_email", "private_key"] as const) {
    if (typeof account?.[key] !== "string" || account[key] === "") {
      throw new Error(`Firestore service account is missing "${key}"`);
    }
  }
  if (!(options.timeoutMs > 0)) {
    throw new Error(`Firestore timeoutMs must be positive, got ${options.timeoutMs}`);
  }
  const appName = `conectar-firestore-${crypto.randomUUID()}`;
  let ready: Promise<{ db: Firestore; close: () => Promise<void> }> | null = null;
  let closed = false;

  async function init() {
    const [{ cert, deleteApp, initializeApp }, { getFirestore }] = await Promise.all([
      import("firebase-admin/app"),
      import("firebase-admin/firestore"),
    ]);
    const app = initializeApp({
      credential: cert({
        projectId: account.project_id,
        clientEmail: account.client_email,
        // Secrets pasted into env vars often carry literal "\n".
        privateKey: account.private_key.replace(/\\n/g, "\n"),
      }),
      projectId: account.project_id,
    }, appName);
    const db = getFirestore(app);
    db.settings({
      preferRest: true,
      // Bounds the SDK's own retries near our deadline, so a call we gave up on stops soon
      // instead of retrying in the background for minutes.
      clientConfig: boundedClientConfig(options.timeoutMs),
      // `host` without `ssl: false` would retry https forever against a plain-http stand-in.
      ...(options.emulatorHost ? { host: options.emulatorHost, ssl: false } : {}),
    });
    return { db, close: () => deleteApp(app) };
  }

  function load() {
    if (closed) return Promise.reject(new Error("Firestore handle is closed"));
    ready ??= init().catch((error) => {
      ready = null;
      throw error;
    });
    return ready;
  }

  async function run<T>(fn: (db: Firestore) => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AppError("service_unavailable", UNAVAILABLE_DETAIL)),
        options.timeoutMs,
      );
    });
    const work = load().then(({ db }) => fn(db));
    // The SDK cannot be cancelled: a call that loses the race must not surface as unhandled.
    work.catch(() => {});
    try {
      return await Promise.race([work, deadline]);
    } catch (error) {
      throw isUnavailable(error) ? new AppError("service_unavailable", UNAVAILABLE_DETAIL) : error;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    db: () => load().then((r) => r.db),
    run,
    async close() {
      if (closed) return;
      closed = true;
      const current = ready;
      ready = null;
      if (current) await current.then((r) => r.close(), () => {});
    },
  };
}

function isUnavailable(error: unknown): boolean {
  if (error instanceof AppError) return error.code === "service_unavailable";
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "number") return UNAVAILABLE_CODES.has(code);
  const cause = (error as { cause?: unknown }).cause;
  return CONNECTION_ERRORS.test(
    `${String(code ?? "")} ${error.message} ${cause instanceof Error ? cause.message : ""}`,
  );
}

function boundedClientConfig(timeoutMs: number) {
  const params = {
    initial_retry_delay_millis: 100,
    retry_delay_multiplier: 1.3,
    max_retry_delay_millis: Math.max(100, Math.floor(timeoutMs / 2)),
    initial_rpc_timeout_millis: timeoutMs,
    rpc_timeout_multiplier: 1,
    max_rpc_timeout_millis: timeoutMs,
    total_timeout_millis: timeoutMs,
  };
  const methods = Object.fromEntries(
    GAPIC_METHODS.map((m) => [m, { timeout_millis: timeoutMs, retry_params_name: "bounded" }]),
  );
  return { interfaces: { "google.firestore.v1.Firestore": { retry_params: { bounded: params }, methods } } };
}
