import type { AuthUser } from "../../../shared/auth-user.ts";
import { AppError } from "../../../shared/errors.ts";
import type { ChatOffersPlatform } from "../config.ts";
import {
  createRoute,
  errorSchema,
  idParamsFor,
  json,
  jsonBody,
  multipartBody,
  type ServiceApp,
} from "../../../shared/route.ts";
import {
  adminListQuerySchema,
  disputeDetailSchema,
  disputeMessageReadSchema,
  disputeMessageSchema,
  disputePageSchema,
  evidenceUploadedSchema,
  openDisputeSchema,
  openJobDisputeSchema,
  resolvedSchema,
  resolveSchema,
} from "../dispute-schemas.ts";
import { readDispute, readDisputes } from "../dispute-views.ts";
import { addDisputeMessage, addEvidence, openDispute, resolveDispute } from "../disputes.ts";
import { listQuerySchema } from "../marketplace-schemas.ts";
import { formImage, imageBodyLimit } from "./image-form.ts";
import { jobParams } from "./jobs.ts";

/**
 * Disputes (disputas): a party opens one on a paid job (`POST /disputas` or
 * `POST /chat_ofertas/trabajos/{id}/disputa`), the parties and admins read it, write messages and
 * add evidence; admins list every dispute and resolve it (`POST /admin/disputas/{id}/resolver`).
 * Anyone who is neither a party nor an admin gets 404, as if it did not exist.
 */
const disputeParams = idParamsFor("Disputa no encontrada");
const notFound = json(errorSchema, "Disputa / trabajo no encontrado (or not yours)");
const badState = json(errorSchema, "Not allowed in the job's or dispute's state (detail names it)");
const conflict = json(errorSchema, "Already an open dispute / already resolved");

export function registerDisputeRoutes(app: ServiceApp, platform: ChatOffersPlatform) {
  const { db, storage } = platform;
  const signedIn = platform.access("signed-in");
  const admin = platform.access(["ADMIN"]);
  const detail = async (user: AuthUser, id: string) => {
    const found = await db.asUser(user, (tx) => readDispute(tx, id));
    if (!found) throw new AppError("not_found", "Disputa no encontrada");
    return found;
  };

  app.openapi(
    createRoute({
      method: "post",
      path: "/disputas",
      summary: "Open a dispute on my paid job (PAGADO, EN_PROCESO or COMPLETADO): freezes its payment",
      ...signedIn,
      request: { body: jsonBody(openDisputeSchema) },
      responses: { 201: json(disputeDetailSchema, "Opened"), 400: badState, 404: notFound, 409: conflict },
    }),
    async (c) => {
      const id = await openDispute(db, c.var.user, c.req.valid("json"));
      return c.json(await detail(c.var.user, id), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/chat_ofertas/trabajos/{id}/disputa",
      summary: "Open a dispute on this job of mine (same rules as POST /disputas)",
      ...signedIn,
      request: { params: jobParams, body: jsonBody(openJobDisputeSchema) },
      responses: { 201: json(disputeDetailSchema, "Opened"), 400: badState, 404: notFound, 409: conflict },
    }),
    async (c) => {
      const id = await openDispute(db, c.var.user, {
        ...c.req.valid("json"),
        trabajo_id: c.req.valid("param").id,
      });
      return c.json(await detail(c.var.user, id), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/disputas",
      summary: "My disputes (as client or professional), newest first (paginated; limit ≤ 100)",
      ...signedIn,
      request: { query: listQuerySchema },
      responses: { 200: json(disputePageSchema, "A page of my disputes") },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { items, total } = await db.asUser(
        c.var.user,
        (tx) => readDisputes(tx, { mine: c.var.user.id, ...q }),
      );
      return c.json(pageOf(items, total, q), 200);
    },
  );

  for (
    const { path, access } of [{ path: "/disputas/{id}", access: signedIn }, {
      path: "/admin/disputas/{id}",
      access: admin,
    }]
  ) {
    app.openapi(
      createRoute({
        method: "get",
        path,
        summary: "One dispute with its messages (its parties and admins)",
        ...access,
        request: { params: disputeParams },
        responses: { 200: json(disputeDetailSchema, "The dispute"), 404: notFound },
      }),
      async (c) => c.json(await detail(c.var.user, c.req.valid("param").id), 200),
    );
  }

  app.openapi(
    createRoute({
      method: "post",
      path: "/disputas/{id}/mensajes",
      summary: "Write in an open dispute (its parties and admins)",
      ...signedIn,
      request: { params: disputeParams, body: jsonBody(disputeMessageSchema) },
      responses: { 201: json(disputeMessageReadSchema, "The message"), 400: badState, 404: notFound },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await addDisputeMessage(db, c.var.user, id, c.req.valid("json").texto), 201);
    },
  );

  const limit = imageBodyLimit();
  app.openapi(
    createRoute({
      method: "post",
      path: "/disputas/{id}/evidencia",
      summary:
        "Add an evidence image to my open dispute (multipart `file`: jpg, jpeg, png, gif, webp; 5 MB; 10)",
      ...signedIn,
      middleware: [...signedIn.middleware, limit],
      request: { params: disputeParams, body: multipartBody({ file: "The image" }) },
      responses: {
        201: json(evidenceUploadedSchema, "Stored; the dispute's evidence"),
        400: json(errorSchema, "Format not allowed / empty / markup / already 10 / dispute resolved"),
        404: notFound,
        413: json(errorSchema, "Larger than 5 MB"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const file = await formImage(c);
      return c.json(await addEvidence(db, storage, c.var.user, id, file), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/disputas",
      summary: "Every dispute, newest first, optionally by estado (paginated; limit ≤ 100, default 20)",
      ...admin,
      request: { query: adminListQuerySchema },
      responses: { 200: json(disputePageSchema, "A page of disputes") },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { items, total } = await db.asUser(c.var.user, (tx) => readDisputes(tx, q));
      return c.json(pageOf(items, total, q), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/admin/disputas/{id}/resolver",
      summary: "Resolve an open dispute: LIBERAR (job APROBADO, released), REEMBOLSO_TOTAL (job CANCELADO, " +
        "refunded) or REEMBOLSO_PARCIAL (monto_reembolso refunded, the rest released; job APROBADO)",
      ...admin,
      request: { params: disputeParams, body: jsonBody(resolveSchema) },
      responses: {
        200: json(resolvedSchema, "Resolved"),
        400: json(errorSchema, "Bad amount / the job's state does not allow it"),
        404: notFound,
        409: json(errorSchema, "Already resolved"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const done = await resolveDispute(db, c.var.user, id, body);
      const money = (n: number) => `$${n.toFixed(2)}`;
      const parts = [
        done.release ? `se liberaron ${money(done.release.monto_liberado)} al profesional` : null,
        done.refund ? `se reembolsarán ${money(done.refund.monto)} al cliente` : null,
      ].filter(Boolean);
      return c.json({
        disputa: await detail(c.var.user, id),
        monto_liberado: done.release?.monto_liberado ?? null,
        comision: done.release?.comision ?? null,
        monto_reembolso: done.refund?.monto ?? null,
        reembolso_id: done.refund?.reembolso_id ?? null,
        mensaje: `Disputa resuelta: ${parts.join(" y ")}.`,
      }, 200);
    },
  );
}

/** API.md rule 7's page: `{items, total, page, limit, pages}`. */
function pageOf<T>(items: T[], total: number, q: { page: number; limit: number }) {
  return { items, total, page: q.page, limit: q.limit, pages: Math.max(1, Math.ceil(total / q.limit)) };
}
