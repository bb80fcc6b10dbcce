import { AppError } from "../../shared/errors.ts";

/**
 * Turns what the MercadoPago SDK throws into our AppError. Read by shape (`status`, `name`) rather
 * than `instanceof` so this module needs no SDK import and can be tested without it.
 *
 * - no answer, timeout, 5xx, 423/424 (MercadoPago's "retry later") or 429 → `service_unavailable`:
 *   the caller may retry;
 * - 404 → `not_found`; 409 (idempotency key reused with another body) → `conflict`;
 * - 401/403 → `bad_gateway`: MercadoPago refused *our* credentials — a server fault, and answering
 *   401 would tell our client that its own session is bad;
 * - any other 4xx → `bad_request`, naming MercadoPago's error code (not its free text, which is
 *   English and may change) — the full error stays on `cause` for the log.
 * Anything that is not an SDK error is returned unchanged.
 *
 * @example
 * try { await payment.get({ id }) } catch (e) { throw toAppError(e, `consultar el pago "${id}"`) }
 */
export function toAppError(error: unknown, action: string): unknown {
  if (!(error instanceof Error) || !isSdkError(error)) return error;
  const { status, code } = { status: error.status ?? 0, code: error.error || "sin código" };
  let result: AppError;
  if (error.name === "MPConnectionError" || status === 0) {
    const timedOut = /abort|timeout/i.test(String(causeOf(error)));
    result = new AppError(
      "service_unavailable",
      `No se pudo ${action}: MercadoPago ${timedOut ? "no respondió a tiempo" : "no está disponible"}`,
    );
  } else if (status >= 500 || status === 429 || status === 423 || status === 424) {
    result = new AppError(
      "service_unavailable",
      `No se pudo ${action}: MercadoPago no está disponible (${status})`,
    );
  } else if (status === 404) {
    result = new AppError("not_found", `No se pudo ${action}: MercadoPago no lo encontró`);
  } else if (status === 409) {
    result = new AppError("conflict", `No se pudo ${action}: MercadoPago informó un conflicto (${code})`);
  } else if (status === 401 || status === 403) {
    result = new AppError(
      "bad_gateway",
      `No se pudo ${action}: MercadoPago rechazó las credenciales (${status})`,
    );
  } else {
    result = new AppError("bad_request", `No se pudo ${action}: MercadoPago rechazó la solicitud (${code})`);
  }
  result.cause = error;
  return result;
}

type SdkError = Error & { status?: number; error?: string; causes?: unknown; __cause__?: unknown };

function isSdkError(error: Error): error is SdkError {
  return error.name.startsWith("MP") || error.name === "MercadoPagoError";
}

function causeOf(error: SdkError): unknown {
  const cause = error.__cause__;
  return cause instanceof Error ? `${cause.name} ${cause.message}` : `${error.message}`;
}
