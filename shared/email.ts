import type { DeliveryConfig } from "./config-delivery.ts";

/**
 * E-mail through Resend's HTTP API (`POST /emails`, Bearer API key). `EMAIL_API_URL` points it at
 * Resend or at the local sink, which speaks the same API. The `Idempotency-Key` makes a retried
 * send of the same message (after a timeout, say) reach the person once.
 *
 * @example
 * const email = createEmailSender(config);
 * await email.send({ to: "ana@example.com", subject: "Bienvenida", html, text, idempotencyKey: deliveryId });
 */
export type EmailMessage = {
  to: string;
  subject: string;
  html: string;
  text: string;
  idempotencyKey?: string;
};
export type EmailOutcome =
  | { status: "sent"; id: string }
  | { status: "error"; error: string; retryable: boolean };
export type EmailSender = { send(message: EmailMessage): Promise<EmailOutcome> };
export type EmailConfig = Pick<DeliveryConfig, "EMAIL_API_URL" | "EMAIL_API_KEY" | "EMAIL_FROM">;

const TIMEOUT_MS = 10_000;

export function createEmailSender(config: EmailConfig): EmailSender {
  const endpoint = `${config.EMAIL_API_URL.replace(/\/+$/, "")}/emails`;
  return {
    async send(message) {
      if (!config.EMAIL_API_KEY) {
        return { status: "error", error: "EMAIL_API_KEY is not configured", retryable: true };
      }
      const headers: Record<string, string> = {
        authorization: `Bearer ${config.EMAIL_API_KEY}`,
        "content-type": "application/json",
      };
      if (message.idempotencyKey) headers["idempotency-key"] = message.idempotencyKey;
      try {
        const response = await fetch(endpoint, {
          method: "POST",
          headers,
          body: JSON.stringify({
            from: config.EMAIL_FROM,
            to: [message.to],
            subject: message.subject,
            html: message.html,
            text: message.text,
          }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const body = await response.json().catch(() => ({})) as {
          id?: string;
          name?: string;
          message?: string;
        };
        if (response.ok) return { status: "sent", id: body.id ?? "" };
        const retryable = response.status === 429 || response.status >= 500;
        return {
          status: "error",
          error: `e-mail API ${response.status} ${body.name ?? ""}`.trim(),
          retryable,
        };
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
