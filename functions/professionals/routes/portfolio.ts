import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { requireRole } from "../../../shared/auth.ts";
import { AppError } from "../../../shared/errors.ts";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate } from "../../../shared/validate.ts";
import { addImage, createItem, deleteImage, deleteItem, itemsOf, ownItem, updateItem } from "../portfolio.ts";
import { ownProfileId } from "../profile.ts";
import { checkFile, filesOf, IMAGE_MAX_BYTES, IMAGE_TYPES, MB } from "../uploads.ts";

const createSchema = z.object({
  titulo: z.string().trim().min(1).max(200),
  descripcion: z.string().trim().max(1000).nullable().optional(),
});
const updateSchema = createSchema.partial();
const itemParam = z.object({ id: z.uuid() });
const imageParam = z.object({ id: z.uuid(), imageId: z.uuid() });
const imageForm = z.object({ file: z.unknown() }).refine((f) => f.file !== undefined, {
  message: "Falta el campo file",
  path: ["file"],
});

/** A professional's own portfolio (`/professional/portfolio*`): items and their images. */
export function registerPortfolioRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const { db, storage, log } = platform;
  const pro = [platform.auth, requireRole("PROFESIONAL")] as const;
  const auth = { auth: ["PROFESIONAL" as const] };
  const removeLater = (paths: string[], requestId: string) =>
    storage.remove("portfolio", paths).catch((error) =>
      log.warn("could not remove portfolio files", { request_id: requestId, paths, error: String(error) })
    );

  app.get("/professional/portfolio", ...pro, async (c) => {
    const user = c.var.user;
    return c.json(await db.asUser(user, async (tx) => itemsOf(tx, await ownProfileId(tx, user.id))));
  });
  doc.describe({
    method: "get",
    path: "/professional/portfolio",
    summary: "My portfolio, newest first",
    ...auth,
  });

  app.post("/professional/portfolio", ...pro, validate("json", createSchema), async (c) => {
    const user = c.var.user;
    const item = await db.asUser(
      user,
      async (tx) => createItem(tx, await ownProfileId(tx, user.id), c.req.valid("json")),
    );
    return c.json(item, 201);
  });
  doc.describe({
    method: "post",
    path: "/professional/portfolio",
    summary: "Add a portfolio item",
    ...auth,
    body: createSchema,
    responses: { 201: { description: "Created" } },
  });

  app.get("/professional/portfolio/:id", ...pro, validate("param", itemParam), async (c) => {
    const user = c.var.user;
    const { id } = c.req.valid("param");
    return c.json(await db.asUser(user, async (tx) => ownItem(tx, await ownProfileId(tx, user.id), id)));
  });
  doc.describe({
    method: "get",
    path: "/professional/portfolio/:id",
    summary: "One of my items",
    ...auth,
    params: itemParam,
  });

  app.put(
    "/professional/portfolio/:id",
    ...pro,
    validate("param", itemParam),
    validate("json", updateSchema),
    async (c) => {
      const user = c.var.user;
      const { id } = c.req.valid("param");
      const item = await db.asUser(
        user,
        async (tx) => updateItem(tx, await ownProfileId(tx, user.id), id, c.req.valid("json")),
      );
      return c.json(item);
    },
  );
  doc.describe({
    method: "put",
    path: "/professional/portfolio/:id",
    summary: "Change one of my items",
    ...auth,
    params: itemParam,
    body: updateSchema,
  });

  app.delete("/professional/portfolio/:id", ...pro, validate("param", itemParam), async (c) => {
    const user = c.var.user;
    const { id } = c.req.valid("param");
    const paths = await db.asUser(user, async (tx) => deleteItem(tx, await ownProfileId(tx, user.id), id));
    await removeLater(paths, c.var.requestId);
    return c.body(null, 204);
  });
  doc.describe({
    method: "delete",
    path: "/professional/portfolio/:id",
    summary: "Delete one of my items and its images",
    ...auth,
    params: itemParam,
    responses: { 204: { description: "Deleted" } },
  });

  const limit = bodyLimit({
    maxSize: IMAGE_MAX_BYTES + MB,
    onError: () => {
      throw new AppError("payload_too_large", `La imagen supera el máximo de ${IMAGE_MAX_BYTES / MB} MB`);
    },
  });
  app.post("/professional/portfolio/:id/image", ...pro, validate("param", itemParam), limit, async (c) => {
    const user = c.var.user;
    const { id } = c.req.valid("param");
    const form = imageForm.safeParse(await c.req.parseBody({ all: true }).catch(() => ({})));
    const item = await db.asUser(user, async (tx) => {
      const profileId = await ownProfileId(tx, user.id);
      await ownItem(tx, profileId, id); // 404 before any file check, as the original
      if (!form.success) throw new AppError("validation_failed", "Falta el archivo (campo file)");
      const file = checkFile(filesOf(form.data.file)[0], IMAGE_TYPES, IMAGE_MAX_BYTES);
      return await addImage(tx, storage, { profileId, itemId: id, file });
    });
    return c.json(item);
  });
  doc.describe({
    method: "post",
    path: "/professional/portfolio/:id/image",
    summary: "Add an image (multipart `file`: jpg, jpeg, png, gif, webp; 5 MB; 10 per item)",
    ...auth,
    params: itemParam,
    bodyType: "multipart/form-data",
  });

  for (
    const path of [
      "/professional/portfolio/:id/image/:imageId",
      "/professional/portfolio/:id/images/:imageId",
    ]
  ) {
    app.delete(path, ...pro, validate("param", imageParam), async (c) => {
      const user = c.var.user;
      const { id, imageId } = c.req.valid("param");
      const storagePath = await db.asUser(
        user,
        async (tx) => deleteImage(tx, await ownProfileId(tx, user.id), id, imageId),
      );
      if (storagePath) await removeLater([storagePath], c.var.requestId);
      return c.body(null, 204);
    });
    doc.describe({
      method: "delete",
      path,
      summary: "Delete an image of one of my items",
      ...auth,
      params: imageParam,
      responses: { 204: { description: "Deleted" } },
    });
  }
}
