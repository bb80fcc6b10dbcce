import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../../shared/app-env.ts";
import { AppError } from "../../../shared/errors.ts";
import type { PaymentsPlatform } from "../config.ts";
import {
  createRoute,
  errorSchema,
  idParamsFor,
  json,
  jsonBody,
  other,
  type ServiceApp,
} from "../../../shared/route.ts";
import { verifyLink } from "../../../shared/signed-link.ts";
import { ensurePreference, findCheckoutJob, PAID_STATES } from "../checkout.ts";
import { checkoutSchema, crearPagoSchema } from "../schemas.ts";
import type { PaymentSettings } from "../settings.ts";

const INVALID_LINK = "El link de pago no es válido o venció. Volvé a la app para obtener uno nuevo.";

const linkQuery = z.object({
  cliente: z.string().optional(),
  exp: z.string().optional(),
  sig: z.string().optional(),
});

/**
 * `GET /payments/checkout/{id}`: the `payment_url` of an accepted offer. The browser navigates
 * here without a token, so the signed link (job path, client, expiry) is the only proof; nothing
 * about the job is revealed without it. Then 302 to MercadoPago's checkout (preference created
 * once per job). `POST /pagos/crear-pago`: the same for the signed-in client (frontend's API).
 */
export function registerCheckoutRoutes(
  app: ServiceApp,
  platform: PaymentsPlatform,
  settings: PaymentSettings,
) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/payments/checkout/{id}",
      summary: "Open MercadoPago's checkout for a job (signed link, no token); 302 to init_point",
      request: { params: idParamsFor("Trabajo no encontrado"), query: linkQuery },
      responses: {
        302: other("Redirects to MercadoPago's checkout (or to the success page when already paid)"),
        400: json(errorSchema, "The job can no longer be paid"),
        403: json(errorSchema, "Invalid, tampered or expired link"),
        404: json(errorSchema, "No such job"),
        503: json(errorSchema, "MercadoPago unavailable: try again, the job stays payable"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      try {
        if (!settings.checkoutLinkSecret) {
          throw new AppError("service_unavailable", "Los pagos no están disponibles en este momento");
        }
        // Verified against the route's own path: the gateway may have added /api/v1 or more.
        const claims = await verifyLink(settings.checkoutLinkSecret, {
          path: `/payments/checkout/${id}`,
          query: new URL(c.req.url).searchParams,
        });
        if (!claims?.cliente) throw new AppError("forbidden", INVALID_LINK);
        const job = await findCheckoutJob(platform.db, id);
        if (!job) throw new AppError("not_found", "Trabajo no encontrado");
        if (job.cliente_id !== claims.cliente.toLowerCase()) throw new AppError("forbidden", INVALID_LINK);
        if (PAID_STATES.has(job.estado)) return c.redirect(settings.backUrls.success, 302);
        const { init_point } = await ensurePreference(platform.db, settings, job);
        return c.redirect(init_point, 302);
      } catch (error) {
        return refusal(c, error);
      }
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/pagos/crear-pago",
      summary: "The job's MercadoPago preference for its signed-in client",
      ...platform.access("signed-in"),
      request: { body: jsonBody(crearPagoSchema) },
      responses: {
        200: json(checkoutSchema, "Where to pay"),
        400: json(errorSchema, "The job is not pending payment"),
        403: json(errorSchema, "Not the job's client"),
        404: json(errorSchema, "No such job"),
        503: json(errorSchema, "MercadoPago unavailable"),
      },
    }),
    async (c) => {
      const { trabajo_id } = c.req.valid("json");
      const user = c.var.user;
      // RLS: only the job's parties (and admins) see it at all.
      const [visible] = await platform.db.asUser(
        user,
        (tx) => tx<{ cliente_id: string }[]>`select cliente_id from public.trabajos where id = ${trabajo_id}`,
      );
      if (!visible) throw new AppError("not_found", "Trabajo no encontrado");
      if (visible.cliente_id !== user.id) {
        throw new AppError("forbidden", "Solo el cliente del trabajo puede pagarlo");
      }
      const job = await findCheckoutJob(platform.db, trabajo_id);
      if (!job) throw new AppError("not_found", "Trabajo no encontrado");
      const pref = await ensurePreference(platform.db, settings, job);
      return c.json({
        trabajo_id,
        preference_id: pref.preference_id,
        init_point: pref.init_point,
        payment_url: pref.init_point,
      }, 200);
    },
  );
}

/** A browser gets a short Spanish page; an API client the usual error body. */
function refusal(c: Context<AppEnv>, error: unknown): Response {
  if (!(error instanceof AppError) || !(c.req.header("accept") ?? "").includes("text/html")) throw error;
  const page = `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Pago</title></head>` +
    `<body><h1>No pudimos abrir el pago</h1><p>${escapeHtml(error.detail)}</p></body></html>`;
  return c.html(page, error.status as 400);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
