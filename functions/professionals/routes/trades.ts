import type { Hono } from "hono";
import { z } from "zod";
import { requireRole } from "../../../shared/auth.ts";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate } from "../../../shared/validate.ts";
import { createTrade, listTrades, toggleTrade, updateTrade } from "../trades.ts";

const createSchema = z.object({
  nombre: z.string().trim().min(3).max(100),
  descripcion: z.string().trim().max(500).nullable().optional(),
});
const updateSchema = z.object({
  nombre: z.string().trim().min(3).max(100).optional(),
  descripcion: z.string().trim().max(500).nullable().optional(),
  activo: z.boolean().optional(),
});
const idParam = z.object({ id: z.uuid() });

/** The trade catalog: public list, any signed-in user's list, admin curation. */
export function registerTradeRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const { db } = platform;
  const admin = [platform.auth, requireRole("ADMIN")] as const;

  // Public: never looks at Authorization (compatibility C11).
  app.get("/public/oficios", async (c) => c.json(await db.asAnon((tx) => listTrades(tx))));
  doc.describe({ method: "get", path: "/public/oficios", summary: "Active trades, by name (public)" });

  // Any signed-in user; RLS shows admins the inactive trades too.
  app.get(
    "/admin/oficios",
    platform.auth,
    async (c) => c.json(await db.asUser(c.var.user, (tx) => listTrades(tx))),
  );
  doc.describe({
    method: "get",
    path: "/admin/oficios",
    summary: "Trades (admins also see inactive ones)",
    auth: "any",
  });

  app.post("/admin/oficios", ...admin, validate("json", createSchema), async (c) => {
    const trade = await db.asUser(c.var.user, (tx) => createTrade(tx, c.req.valid("json")));
    return c.json(trade, 201);
  });
  doc.describe({
    method: "post",
    path: "/admin/oficios",
    summary: "Add a trade (duplicate name → 400)",
    auth: ["ADMIN"],
    body: createSchema,
    responses: { 201: { description: "Created" } },
  });

  app.put(
    "/admin/oficios/:id",
    ...admin,
    validate("param", idParam),
    validate("json", updateSchema),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await db.asUser(c.var.user, (tx) => updateTrade(tx, id, c.req.valid("json"))));
    },
  );
  doc.describe({
    method: "put",
    path: "/admin/oficios/:id",
    summary: "Rename, describe or (de)activate a trade",
    auth: ["ADMIN"],
    params: idParam,
    body: updateSchema,
  });

  app.patch("/admin/oficios/:id/toggle", ...admin, validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await db.asUser(c.var.user, (tx) => toggleTrade(tx, id)));
  });
  doc.describe({
    method: "patch",
    path: "/admin/oficios/:id/toggle",
    summary: "Activate or deactivate a trade",
    auth: ["ADMIN"],
    params: idParam,
  });
}
