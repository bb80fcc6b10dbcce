import { z } from "zod";
import type { AuthUser } from "../../../shared/auth-user.ts";
import type { ChatOffersPlatform } from "../config.ts";
import {
  createRoute,
  errorSchema,
  idParamsFor,
  json,
  jsonBody,
  type ServiceApp,
} from "../../../shared/route.ts";
import {
  answerReviewSchema,
  createReviewSchema,
  createReviewWithJobSchema,
  resenaCreateResponseSchema,
  resenaPublicSchema,
  resenaReadSchema,
} from "../review-schemas.ts";
import { answerReview, createdMessage, createReview, publicReviews } from "../reviews.ts";

/**
 * Reviews on every path the clients call (compatibility.md rows 25 and 55), one implementation:
 * create on the monolith's `POST /cliente/trabajo/{id}/resena` and the microservices'
 * `POST /resenas {trabajo_id}`, the professional's one answer, and the public listing (the
 * professionals function serves the same data at `/public/professional/{id}/resenas`).
 */
const jobParams = idParamsFor("Trabajo no encontrado");
const reviewParams = idParamsFor("Reseña no encontrada");
const professionalParams = idParamsFor("Profesional no encontrado");
const refusals = {
  400: json(errorSchema, "Not LIBERADO (detail names the state) / already reviewed / window over"),
  403: json(errorSchema, "Este trabajo no te pertenece"),
  404: json(errorSchema, "Trabajo no encontrado / Profesional no encontrado"),
};

export function registerReviewRoutes(app: ServiceApp, platform: ChatOffersPlatform) {
  const { db, config } = platform;
  const create = async (
    user: AuthUser,
    trabajoId: string,
    body: { rating: number; texto_resena?: string | null; comentario?: string | null },
  ) => {
    const done = await db.asService((tx) =>
      createReview(tx, {
        trabajoId,
        clienteId: user.id,
        rating: body.rating,
        texto: body.texto_resena ?? body.comentario ?? null,
      }, config.REVIEW_WINDOW_DAYS)
    );
    return {
      resena: done.resena,
      profesional_rating_promedio: done.rating_promedio,
      profesional_total_resenas: done.total_resenas,
      rating_promedio: done.rating_promedio,
      total_resenas: done.total_resenas,
      mensaje: createdMessage(done.rating_promedio, done.total_resenas),
    };
  };

  app.openapi(
    createRoute({
      method: "post",
      path: "/cliente/trabajo/{id}/resena",
      summary:
        "Review my approved job (rating 1–5, text ≤ 2000), once; answers the professional's new rating",
      ...platform.access("signed-in"),
      request: { params: jobParams, body: jsonBody(createReviewSchema) },
      responses: { 201: json(resenaCreateResponseSchema, "The review and the new rating"), ...refusals },
    }),
    async (c) => c.json(await create(c.var.user, c.req.valid("param").id, c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/resenas",
      summary:
        "Review my approved job (`trabajo_id` in the body); same rules as /cliente/trabajo/{id}/resena",
      ...platform.access("signed-in"),
      request: { body: jsonBody(createReviewWithJobSchema) },
      responses: { 201: json(resenaCreateResponseSchema, "The review and the new rating"), ...refusals },
    }),
    async (c) => {
      const body = c.req.valid("json");
      return c.json(await create(c.var.user, body.trabajo_id, body), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/resenas/{id}/respuesta",
      summary: "Answer a review of me, once (`texto` 1–2000)",
      ...platform.access(["PROFESIONAL"]),
      request: { params: reviewParams, body: jsonBody(answerReviewSchema) },
      responses: {
        200: json(resenaReadSchema, "The review with its answer"),
        400: json(errorSchema, "Esta reseña ya tiene una respuesta"),
        403: json(errorSchema, "Not the reviewed professional"),
        404: json(errorSchema, "Reseña no encontrada"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const texto = (body.texto ?? body.respuesta)!;
      const { id } = c.req.valid("param");
      return c.json(
        await db.asService((tx) => answerReview(tx, { resenaId: id, usuarioId: c.var.user.id, texto })),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/resenas/professional/{id}",
      summary: "A professional's reviews, newest first (profile id; approved, active professionals only)",
      request: { params: professionalParams },
      responses: {
        200: json(z.array(resenaPublicSchema), "The reviews, newest first"),
        404: json(errorSchema, "Profesional no encontrado / Profesional no disponible"),
      },
    }),
    async (c) => c.json(await db.asService((tx) => publicReviews(tx, c.req.valid("param").id)), 200),
  );
}
