import { uploadLimit } from "../../../shared/body-limit.ts";
import { z } from "zod";
import { AppError } from "../../../shared/errors.ts";
import type { ProfessionalsPlatform } from "../config.ts";
import {
  createRoute,
  errorSchema,
  idParams,
  json,
  jsonBody,
  multipartBody,
  type ServiceApp,
} from "../../../shared/route.ts";
import {
  addImage,
  createItem,
  deleteImage,
  deleteItem,
  itemsOf,
  ownItem,
  portfolioItemSchema,
  updateItem,
} from "../portfolio.ts";
import { ownProfileId } from "../profile.ts";
import { checkFile, filesOf, IMAGE_MAX_BYTES, IMAGE_TYPES, MB } from "../uploads.ts";

const createSchema = z.object({
  titulo: z.string().trim().min(1).max(200),
  descripcion: z.string().trim().max(1000).nullable().optional(),
});
const updateSchema = createSchema.partial();
const imageParams = idParams.extend({ imageId: z.guid() });
const imageForm = z.object({ file: z.unknown() }).refine((f) => f.file !== undefined, {
  message: "Falta el campo file",
  path: ["file"],
});
const notMine = json(errorSchema, "No such item, or another professional's");

/** A professional's own portfolio (`/professional/portfolio*`): items and their images. */
export function registerPortfolioRoutes(app: ServiceApp, platform: ProfessionalsPlatform) {
  const { db, storage, log } = platform;
  const pro = platform.access(["PROFESIONAL"]);
  const removeLater = (paths: string[], requestId: string) =>
    storage.remove("portfolio", paths).catch((error) =>
      log.warn("could not remove portfolio files", { request_id: requestId, paths, error: String(error) })
    );

  app.openapi(
    createRoute({
      method: "get",
      path: "/professional/portfolio",
      summary: "My portfolio, newest first",
      ...pro,
      responses: { 200: json(z.array(portfolioItemSchema), "My items, newest first") },
    }),
    async (c) => {
      const user = c.var.user;
      return c.json(await db.asUser(user, async (tx) => itemsOf(tx, await ownProfileId(tx, user.id))), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/professional/portfolio",
      summary: "Add a portfolio item",
      ...pro,
      request: { body: jsonBody(createSchema) },
      responses: { 201: json(portfolioItemSchema, "The new item (no images yet)") },
    }),
    async (c) => {
      const user = c.var.user;
      const input = c.req.valid("json");
      const item = await db.asUser(
        user,
        async (tx) => createItem(tx, await ownProfileId(tx, user.id), input),
      );
      return c.json(item, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/professional/portfolio/{id}",
      summary: "One of my items",
      ...pro,
      request: { params: idParams },
      responses: { 200: json(portfolioItemSchema, "The item"), 404: notMine },
    }),
    async (c) => {
      const user = c.var.user;
      const { id } = c.req.valid("param");
      return c.json(
        await db.asUser(user, async (tx) => ownItem(tx, await ownProfileId(tx, user.id), id)),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/professional/portfolio/{id}",
      summary: "Change one of my items (partial)",
      ...pro,
      request: { params: idParams, body: jsonBody(updateSchema) },
      responses: { 200: json(portfolioItemSchema, "The changed item"), 404: notMine },
    }),
    async (c) => {
      const user = c.var.user;
      const { id } = c.req.valid("param");
      const changes = c.req.valid("json");
      const item = await db.asUser(
        user,
        async (tx) => updateItem(tx, await ownProfileId(tx, user.id), id, changes),
      );
      return c.json(item, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/professional/portfolio/{id}",
      summary: "Delete one of my items and its images",
      ...pro,
      request: { params: idParams },
      responses: { 204: { description: "Deleted" }, 404: notMine },
    }),
    async (c) => {
      const user = c.var.user;
      const { id } = c.req.valid("param");
      const paths = await db.asUser(user, async (tx) => deleteItem(tx, await ownProfileId(tx, user.id), id));
      await removeLater(paths, c.var.requestId);
      return c.body(null, 204);
    },
  );

  const limit = uploadLimit({
    maxSize: IMAGE_MAX_BYTES + MB,
    onError: () => {
      throw new AppError("payload_too_large", `La imagen supera el máximo de ${IMAGE_MAX_BYTES / MB} MB`);
    },
  });
  app.openapi(
    createRoute({
      method: "post",
      path: "/professional/portfolio/{id}/image",
      summary: "Add an image (multipart `file`: jpg, jpeg, png, gif, webp; 5 MB; 10 per item)",
      ...pro,
      middleware: [...pro.middleware, limit],
      request: { params: idParams, body: multipartBody({ file: "The image" }) },
      responses: {
        200: json(portfolioItemSchema, "The item with the new image last"),
        400: json(
          errorSchema,
          "Format not allowed / empty file / HTML, SVG or XML content / already 10 images",
        ),
        404: notMine,
        413: json(errorSchema, "Larger than 5 MB"),
      },
    }),
    async (c) => {
      const user = c.var.user;
      const { id } = c.req.valid("param");
      const form = imageForm.safeParse(await c.req.parseBody({ all: true }).catch(() => ({})));
      const item = await db.asUser(user, async (tx) => {
        const profileId = await ownProfileId(tx, user.id);
        await ownItem(tx, profileId, id); // 404 before any file check, as the original
        if (!form.success) throw new AppError("validation_failed", "Falta el archivo (campo file)");
        const file = await checkFile(filesOf(form.data.file)[0], IMAGE_TYPES, IMAGE_MAX_BYTES);
        return await addImage(tx, storage, { profileId, itemId: id, file });
      });
      return c.json(item, 200);
    },
  );

  for (
    const path of [
      "/professional/portfolio/{id}/image/{imageId}",
      "/professional/portfolio/{id}/images/{imageId}",
    ]
  ) {
    app.openapi(
      createRoute({
        method: "delete",
        path,
        summary: "Delete an image of one of my items",
        ...pro,
        request: { params: imageParams },
        responses: { 204: { description: "Deleted" }, 404: json(errorSchema, "No such item or image") },
      }),
      async (c) => {
        const user = c.var.user;
        const { id, imageId } = c.req.valid("param");
        const storagePath = await db.asUser(
          user,
          async (tx) => deleteImage(tx, await ownProfileId(tx, user.id), id, imageId),
        );
        if (storagePath) await removeLater([storagePath], c.var.requestId);
        return c.body(null, 204);
      },
    );
  }
}
