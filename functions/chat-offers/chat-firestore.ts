import type { ChatOffersConfig } from "./config.ts";
import { AppError } from "../../shared/errors.ts";
import { createFirestore, type FirestoreHandle } from "../../shared/firestore.ts";

const NOT_CONFIGURED = "El chat no está disponible: falta configurar Firestore.";

/**
 * The Firestore handle chat-offers writes messages through, from configuration. Without a
 * service account every call answers 503, so the rest of the function still boots and serves.
 */
export function chatFirestore(config: ChatOffersConfig): FirestoreHandle {
  const serviceAccount = config.FIREBASE_SERVICE_ACCOUNT;
  if (!serviceAccount) {
    const unavailable = () => Promise.reject(new AppError("service_unavailable", NOT_CONFIGURED));
    return { db: unavailable, run: unavailable, close: () => Promise.resolve() };
  }
  return createFirestore({
    serviceAccount,
    emulatorHost: config.FIRESTORE_HOST,
    timeoutMs: config.FIRESTORE_TIMEOUT_MS,
  });
}
