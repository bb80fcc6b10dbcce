import type { PaymentsPlatform } from "../config.ts";
import { createRoute, errorSchema, json, type ServiceApp } from "../../../shared/route.ts";
import { webhookQuerySchema, webhookResultSchema } from "../schemas.ts";
import type { PaymentSettings } from "../settings.ts";
import { handleNotification } from "../webhook.ts";

/**
 * `POST /webhook/mercadopago` (the original's path) and `POST /pagos/webhook/mercadopago` (the
 * frontend's): one handler. The body is not validated: MercadoPago signs the query string, and
 * a bad body must not turn a genuine notification into a 422 that MercadoPago would retry forever.
 */
export function registerWebhookRoutes(
  app: ServiceApp,
  platform: PaymentsPlatform,
  settings: PaymentSettings,
) {
  for (const path of ["/webhook/mercadopago", "/pagos/webhook/mercadopago"]) {
    app.openapi(
      createRoute({
        method: "post",
        path,
        summary: "MercadoPago payment notification (x-signature); the payment is re-read from MercadoPago",
        request: { query: webhookQuerySchema },
        responses: {
          200: json(webhookResultSchema, "Recorded (or ignored: another topic, already processed)"),
          401: json(errorSchema, "Missing or wrong x-signature: nothing changed"),
          503: json(errorSchema, "MercadoPago or the database unavailable: MercadoPago retries"),
        },
      }),
      async (c) => {
        const query = c.req.valid("query");
        // The body is only a hint (the signature covers the query string): anything that is not a
        // JSON object — `null`, a number, garbage — reads as no hint.
        const parsed: unknown = await c.req.json().catch(() => null);
        const body = (parsed && typeof parsed === "object" ? parsed : {}) as {
          type?: unknown;
          topic?: unknown;
        };
        const bodyType = typeof body.type === "string"
          ? body.type
          : typeof body.topic === "string"
          ? body.topic
          : undefined;
        const { message, result } = await handleNotification(platform, settings, {
          xSignature: c.req.header("x-signature"),
          xRequestId: c.req.header("x-request-id"),
          dataId: query["data.id"],
          type: query.type ?? query.topic ?? bodyType,
        });
        return c.json({
          status: "ok" as const,
          message,
          trabajo_id: result?.trabajoId ?? null,
          ...(result ? { resultado: result.outcome } : {}),
        }, 200);
      },
    );
  }
}
