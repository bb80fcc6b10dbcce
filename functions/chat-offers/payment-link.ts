import type { ChatOffersConfig } from "./config.ts";
import { signLink } from "../../shared/signed-link.ts";
import type { PaymentLinker } from "./marketplace-views.ts";

/**
 * The `payment_url` of an unpaid job: payments' checkout route for it, signed for its client
 * (shared/signed-link.ts) because the browser opens it by navigation, without a token. Payments
 * creates the MercadoPago preference there, idempotently, so nothing calls payments at accept
 * time. Without `CHECKOUT_LINK_SECRET` there is no checkout to send anyone to: null.
 *
 * @example
 * const link = paymentLinker(config);
 * await link({ id: jobId, cliente_id: clientId }); // http://localhost:8000/payments/checkout/<id>?cliente=…&exp=…&sig=…
 */
export function paymentLinker(config: ChatOffersConfig): PaymentLinker {
  const secret = config.CHECKOUT_LINK_SECRET;
  return async (job) => {
    if (!secret) return null;
    return await signLink(secret, {
      baseUrl: config.PUBLIC_API_URL,
      path: `/payments/checkout/${job.id}`,
      claims: { cliente: job.cliente_id },
      ttlSeconds: config.CHECKOUT_LINK_TTL_MINUTES * 60,
    });
  };
}
