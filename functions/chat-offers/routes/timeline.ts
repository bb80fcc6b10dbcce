import { z } from "zod";
import { AppError } from "../../../shared/errors.ts";
import type { ChatOffersPlatform } from "../config.ts";
import {
  createRoute,
  errorSchema,
  json,
  jsonBody,
  multipartBody,
  type ServiceApp,
} from "../../../shared/route.ts";
import { addComment, addImage } from "../job-actions.ts";
import { commentSchema, imageUploadedSchema, timelineItemSchema } from "../marketplace-schemas.ts";
import { readTimeline } from "../marketplace-views.ts";
import { formImage, imageBodyLimit } from "./image-form.ts";
import { jobParams } from "./jobs.ts";

/**
 * A job's timeline (row 48): every transition, payment, comment and image in order with who did
 * it; comments and photos by either party.
 */
const notFound = json(errorSchema, "Trabajo no encontrado");
const forbidden = json(errorSchema, "Este trabajo no te pertenece");

export function registerTimelineRoutes(app: ServiceApp, platform: ChatOffersPlatform) {
  const { db, storage } = platform;
  const signedIn = platform.access("signed-in");

  app.openapi(
    createRoute({
      method: "get",
      path: "/chat_ofertas/trabajos/{id}/timeline",
      summary: "The job's timeline, oldest first (its parties and admins)",
      ...signedIn,
      request: { params: jobParams },
      responses: { 200: json(z.array(timelineItemSchema), "Timeline"), 404: notFound },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const items = await db.asUser(c.var.user, async (tx) => {
        const [job] = await tx`select id from public.trabajos where id = ${id}`;
        if (!job) throw new AppError("not_found", "Trabajo no encontrado");
        return await readTimeline(tx, id);
      });
      return c.json(items, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/chat_ofertas/trabajos/{id}/comentarios",
      summary: "Comment on my job (client or professional)",
      ...signedIn,
      request: { params: jobParams, body: jsonBody(commentSchema) },
      responses: { 201: json(timelineItemSchema, "The comment"), 403: forbidden, 404: notFound },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await addComment(db, c.var.user, id, c.req.valid("json").texto), 201);
    },
  );

  const limit = imageBodyLimit();
  app.openapi(
    createRoute({
      method: "post",
      path: "/chat_ofertas/trabajos/{id}/imagenes",
      summary: "Add a photo to my job (multipart `file`: jpg, jpeg, png, gif, webp; 5 MB; 50 per job)",
      ...signedIn,
      middleware: [...signedIn.middleware, limit],
      request: { params: jobParams, body: multipartBody({ file: "The image" }) },
      responses: {
        201: json(imageUploadedSchema, "Stored; the job's images and the timeline entry"),
        400: json(errorSchema, "Format not allowed / empty / markup / already 50 images"),
        403: forbidden,
        404: notFound,
        413: json(errorSchema, "Larger than 5 MB"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const file = await formImage(c);
      const saved = await addImage(db, storage, c.var.user, id, file);
      return c.json({ ...saved, imagen_url: saved.url }, 201);
    },
  );
}
