import { z } from "zod";
import type { ProfessionalsPlatform } from "../config.ts";
import { createRoute, idParams, json, jsonBody, type ServiceApp } from "../../../shared/route.ts";
import { createTrade, listTrades, oficioReadSchema, toggleTrade, updateTrade } from "../trades.ts";

const createSchema = z.object({
  nombre: z.string().trim().min(3).max(100),
  descripcion: z.string().trim().max(500).nullable().optional(),
});
const updateSchema = z.object({
  nombre: z.string().trim().min(3).max(100).optional(),
  descripcion: z.string().trim().max(500).nullable().optional(),
  activo: z.boolean().optional(),
});

/** The trade catalog: public list, any signed-in user's list, admin curation. */
export function registerTradeRoutes(app: ServiceApp, platform: ProfessionalsPlatform) {
  const { db } = platform;
  const adminOnly = platform.access(["ADMIN"]);

  // Public: never looks at Authorization (compatibility C11).
  app.openapi(
    createRoute({
      method: "get",
      path: "/public/oficios",
      summary: "Active trades, by name (public)",
      responses: { 200: json(z.array(oficioReadSchema), "Active trades, by name") },
    }),
    async (c) => c.json(await db.asAnon((tx) => listTrades(tx)), 200),
  );

  // Any signed-in user; RLS shows admins the inactive trades too.
  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/oficios",
      summary: "Trades (admins also see inactive ones)",
      ...platform.access("signed-in"),
      responses: { 200: json(z.array(oficioReadSchema), "Trades, by name") },
    }),
    async (c) => c.json(await db.asUser(c.var.user, (tx) => listTrades(tx)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/admin/oficios",
      summary: "Add a trade (duplicate name → 400)",
      ...adminOnly,
      request: { body: jsonBody(createSchema) },
      responses: { 201: json(oficioReadSchema, "The new trade") },
    }),
    async (c) => {
      const trade = await db.asUser(c.var.user, (tx) => createTrade(tx, c.req.valid("json")));
      return c.json(trade, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/admin/oficios/{id}",
      summary: "Rename, describe or (de)activate a trade",
      ...adminOnly,
      request: { params: idParams, body: jsonBody(updateSchema) },
      responses: { 200: json(oficioReadSchema, "The updated trade") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await db.asUser(c.var.user, (tx) => updateTrade(tx, id, c.req.valid("json"))), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/admin/oficios/{id}/toggle",
      summary: "Activate or deactivate a trade",
      ...adminOnly,
      request: { params: idParams },
      responses: { 200: json(oficioReadSchema, "The trade with its new state") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await db.asUser(c.var.user, (tx) => toggleTrade(tx, id)), 200);
    },
  );
}
