import { z } from "zod";
import type { ProfessionalsPlatform } from "../config.ts";
import { createRoute, idParams, json, jsonBody, type ServiceApp } from "../../../shared/route.ts";
import { moneyAmount } from "../../../shared/validation.ts";
import { ownProfileId } from "../profile.ts";
import {
  catalogOfTrade,
  createCatalogService,
  deletePublishedService,
  listOwnServices,
  listPublicServices,
  publishedServiceSchema,
  publishService,
  serviceReadSchema,
  updatePublishedService,
} from "../services.ts";

const catalogSchema = z.object({
  nombre: z.string().trim().min(1).max(100),
  descripcion: z.string().trim().max(500).nullable().optional(),
  oficio_id: z.uuid(),
});
const price = moneyAmount("El precio");
const publishSchema = catalogSchema.extend({ precio_fijo: price });
const changeSchema = z.object({
  nombre: z.string().trim().min(1).max(100).optional(),
  descripcion: z.string().trim().max(500).nullable().optional(),
  precio_fijo: price.optional(),
  oficio_id: z.uuid().optional(),
});
const publicQuery = z.object({ oficio_id: z.uuid().optional() });

/** Instant services: the admin catalog per trade and the fixed-price services professionals publish. */
export function registerServiceRoutes(app: ServiceApp, platform: ProfessionalsPlatform) {
  const { db } = platform;
  const pro = platform.access(["PROFESIONAL"]);

  app.openapi(
    createRoute({
      method: "post",
      path: "/admin/servicios-instant",
      summary: "Add an instant service to a trade's catalog",
      ...platform.access(["ADMIN"]),
      request: { body: jsonBody(catalogSchema) },
      responses: { 201: json(serviceReadSchema, "The new catalog service") },
    }),
    async (c) => {
      const service = await db.asUser(c.var.user, (tx) => createCatalogService(tx, c.req.valid("json")));
      return c.json(service, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/oficios/{id}/servicios-instant",
      summary: "A trade's instant service catalog, by name",
      ...platform.access("signed-in"),
      request: { params: idParams },
      responses: { 200: json(z.array(serviceReadSchema), "The trade's catalog, by name") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await db.asUser(c.var.user, (tx) => catalogOfTrade(tx, id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/profesional/servicios",
      summary: "Publish a fixed-price service",
      ...pro,
      request: { body: jsonBody(publishSchema) },
      responses: { 201: json(publishedServiceSchema, "The published service") },
    }),
    async (c) => {
      const user = c.var.user;
      const [service] = await db.asUser(user, async (tx) => {
        const profileId = await ownProfileId(tx, user.id);
        const id = await publishService(tx, profileId, c.req.valid("json"));
        return await listOwnServices(tx, profileId, id);
      });
      return c.json(service, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/profesional/servicios/me",
      summary: "My published services",
      ...pro,
      responses: { 200: json(z.array(publishedServiceSchema), "My published services, newest first") },
    }),
    async (c) => {
      const user = c.var.user;
      const services = await db.asUser(
        user,
        async (tx) => listOwnServices(tx, await ownProfileId(tx, user.id)),
      );
      return c.json(services, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/profesional/servicios/{id}",
      summary: "Change one of my published services",
      ...pro,
      request: { params: idParams, body: jsonBody(changeSchema) },
      responses: { 200: json(publishedServiceSchema, "The changed service") },
    }),
    async (c) => {
      const user = c.var.user;
      const { id } = c.req.valid("param");
      const [service] = await db.asUser(user, async (tx) => {
        const profileId = await ownProfileId(tx, user.id);
        await updatePublishedService(tx, profileId, id, c.req.valid("json"));
        return await listOwnServices(tx, profileId, id);
      });
      return c.json(service, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/profesional/servicios/{id}",
      summary: "Delete one of my published services",
      ...pro,
      request: { params: idParams },
      responses: { 204: { description: "Deleted" } },
    }),
    async (c) => {
      const user = c.var.user;
      const { id } = c.req.valid("param");
      await db.asUser(user, async (tx) => deletePublishedService(tx, await ownProfileId(tx, user.id), id));
      return c.body(null, 204);
    },
  );

  // Public marketplace: ignores Authorization; only approved, active professionals' services.
  app.openapi(
    createRoute({
      method: "get",
      path: "/servicios",
      summary: "Published services of approved professionals (optionally of one trade)",
      request: { query: publicQuery },
      responses: {
        200: json(
          z.array(publishedServiceSchema),
          "Published services of visible professionals, newest first",
        ),
      },
    }),
    async (c) => {
      const { oficio_id } = c.req.valid("query");
      const services = await db.asService((tx) =>
        listPublicServices(tx, { oficioId: oficio_id, limit: 200 })
      );
      return c.json(services, 200);
    },
  );
}
