import type { Hono } from "hono";
import { z } from "zod";
import { requireRole } from "../../../shared/auth.ts";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate } from "../../../shared/validate.ts";
import { ownProfileId } from "../profile.ts";
import { moneySchema } from "../profile-update.ts";
import {
  catalogOfTrade,
  createCatalogService,
  deletePublishedService,
  listOwnServices,
  listPublicServices,
  publishService,
  updatePublishedService,
} from "../services.ts";

const catalogSchema = z.object({
  nombre: z.string().trim().min(1).max(100),
  descripcion: z.string().trim().max(500).nullable().optional(),
  oficio_id: z.uuid(),
});
const price = moneySchema.pipe(z.number().positive());
const publishSchema = catalogSchema.extend({ precio_fijo: price });
const changeSchema = z.object({
  nombre: z.string().trim().min(1).max(100).optional(),
  descripcion: z.string().trim().max(500).nullable().optional(),
  precio_fijo: price.optional(),
  oficio_id: z.uuid().optional(),
});
const idParam = z.object({ id: z.uuid() });
const publicQuery = z.object({ oficio_id: z.uuid().optional() });

/** Instant services: the admin catalog per trade and the fixed-price services professionals publish. */
export function registerServiceRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const { db } = platform;
  const pro = [platform.auth, requireRole("PROFESIONAL")] as const;

  app.post(
    "/admin/servicios-instant",
    platform.auth,
    requireRole("ADMIN"),
    validate("json", catalogSchema),
    async (c) => {
      const service = await db.asUser(c.var.user, (tx) => createCatalogService(tx, c.req.valid("json")));
      return c.json(service, 201);
    },
  );
  doc.describe({
    method: "post",
    path: "/admin/servicios-instant",
    summary: "Add an instant service to a trade's catalog",
    auth: ["ADMIN"],
    body: catalogSchema,
    responses: { 201: { description: "Created" } },
  });

  app.get("/admin/oficios/:id/servicios-instant", platform.auth, validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await db.asUser(c.var.user, (tx) => catalogOfTrade(tx, id)));
  });
  doc.describe({
    method: "get",
    path: "/admin/oficios/:id/servicios-instant",
    summary: "A trade's instant service catalog, by name",
    auth: "any",
    params: idParam,
  });

  app.post("/profesional/servicios", ...pro, validate("json", publishSchema), async (c) => {
    const user = c.var.user;
    const [service] = await db.asUser(user, async (tx) => {
      const profileId = await ownProfileId(tx, user.id);
      const id = await publishService(tx, profileId, c.req.valid("json"));
      return await listOwnServices(tx, profileId, id);
    });
    return c.json(service, 201);
  });
  doc.describe({
    method: "post",
    path: "/profesional/servicios",
    summary: "Publish a fixed-price service",
    auth: ["PROFESIONAL"],
    body: publishSchema,
    responses: { 201: { description: "Created" } },
  });

  app.get("/profesional/servicios/me", ...pro, async (c) => {
    const user = c.var.user;
    return c.json(await db.asUser(user, async (tx) => listOwnServices(tx, await ownProfileId(tx, user.id))));
  });
  doc.describe({
    method: "get",
    path: "/profesional/servicios/me",
    summary: "My published services",
    auth: ["PROFESIONAL"],
  });

  app.put(
    "/profesional/servicios/:id",
    ...pro,
    validate("param", idParam),
    validate("json", changeSchema),
    async (c) => {
      const user = c.var.user;
      const { id } = c.req.valid("param");
      const [service] = await db.asUser(user, async (tx) => {
        const profileId = await ownProfileId(tx, user.id);
        await updatePublishedService(tx, profileId, id, c.req.valid("json"));
        return await listOwnServices(tx, profileId, id);
      });
      return c.json(service);
    },
  );
  doc.describe({
    method: "put",
    path: "/profesional/servicios/:id",
    summary: "Change one of my published services",
    auth: ["PROFESIONAL"],
    params: idParam,
    body: changeSchema,
  });

  app.delete("/profesional/servicios/:id", ...pro, validate("param", idParam), async (c) => {
    const user = c.var.user;
    const { id } = c.req.valid("param");
    await db.asUser(user, async (tx) => deletePublishedService(tx, await ownProfileId(tx, user.id), id));
    return c.body(null, 204);
  });
  doc.describe({
    method: "delete",
    path: "/profesional/servicios/:id",
    summary: "Delete one of my published services",
    auth: ["PROFESIONAL"],
    params: idParam,
    responses: { 204: { description: "Deleted" } },
  });

  // Public marketplace: ignores Authorization; only approved, active professionals' services.
  app.get("/servicios", validate("query", publicQuery), async (c) => {
    const { oficio_id } = c.req.valid("query");
    return c.json(await db.asService((tx) => listPublicServices(tx, { oficioId: oficio_id, limit: 200 })));
  });
  doc.describe({
    method: "get",
    path: "/servicios",
    summary: "Published services of approved professionals (optionally of one trade)",
    query: publicQuery,
  });
}
