import type { Hono } from "hono";
import { requireRole } from "../../../shared/auth.ts";
import { AppError } from "../../../shared/errors.ts";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate } from "../../../shared/validate.ts";
import { adminListQuerySchema, adminSearchQuerySchema, roleChangeSchema } from "../schemas.ts";
import { findUser, listUsers, searchByEmail } from "../user-queries.ts";
import { toUserRead, toUserSearchResult } from "../user-read.ts";
import { changeUserRole } from "../user-role.ts";
import { changeUserStatus, type StatusChange, statusResponse } from "../user-status.ts";
import { userNotFound } from "./me.ts";

const SEARCH_LIMIT = 50;

/** Admin user management. Reads go through the admin's own transaction (RLS: admins see all). */
export function registerAdminUserRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const { db } = platform;
  const adminOnly = requireRole("ADMIN");
  const endSessions = (userId: string) => platform.sessions.endAll(userId);

  doc.describe({
    method: "get",
    path: "/admin/users",
    summary: "Accounts, newest first: {users, total, page, limit, totalPages}",
    auth: ["ADMIN"],
    query: adminListQuerySchema,
  });
  app.get("/admin/users", platform.auth, adminOnly, validate("query", adminListQuerySchema), async (c) => {
    const { page, limit, q, search, rol, is_active } = c.req.valid("query");
    const filter = { page, limit, q: q || search || undefined, rol, isActive: is_active };
    const { rows, total } = await db.asUser(c.var.user, (tx) => listUsers(tx, filter));
    const totalPages = Math.max(1, Math.ceil(total / limit));
    return c.json({ users: rows.map(toUserSearchResult), total, page, limit, totalPages });
  });

  doc.describe({
    method: "get",
    path: "/admin/users/search",
    summary: "Accounts whose e-mail contains the term (at least 2 characters; at most 50)",
    auth: ["ADMIN"],
    query: adminSearchQuerySchema,
  });
  app.get(
    "/admin/users/search",
    platform.auth,
    adminOnly,
    validate("query", adminSearchQuerySchema),
    async (c) => {
      const { email } = c.req.valid("query");
      if (email.length < 2) {
        throw new AppError("bad_request", "El término de búsqueda debe tener al menos 2 caracteres");
      }
      const rows = await db.asUser(c.var.user, (tx) => searchByEmail(tx, email, SEARCH_LIMIT));
      return c.json(rows.map(toUserSearchResult));
    },
  );

  doc.describe({
    method: "get",
    path: "/admin/users/:id",
    summary: "One account (UserRead)",
    auth: ["ADMIN"],
  });
  app.get("/admin/users/:id", platform.auth, adminOnly, async (c) => {
    const row = await db.asUser(c.var.user, (tx) => findUser(tx, c.req.param("id")));
    if (!row) throw userNotFound();
    return c.json(toUserRead(row));
  });

  for (const change of ["ban", "unban"] as const satisfies StatusChange[]) {
    doc.describe({
      method: "post",
      path: `/admin/users/:id/${change}`,
      summary: change === "ban"
        ? "Ban an account (is_active=false; its sessions end; never an admin)"
        : "Lift a ban (is_active=true)",
      auth: ["ADMIN"],
      responses: { 200: { description: "{user_id, email, is_active, mensaje, message}" } },
    });
    app.post(`/admin/users/:id/${change}`, platform.auth, adminOnly, async (c) => {
      const options = { userId: c.req.param("id"), actorId: c.var.user.id, endSessions };
      const user = await db.asService((tx) => changeUserStatus(tx, change, options));
      platform.log.info(`user ${change}`, {
        request_id: c.var.requestId,
        user_id: user.id,
        by: c.var.user.id,
      });
      return c.json(statusResponse(change, user));
    });
  }

  doc.describe({
    method: "put",
    path: "/admin/users/:id/role",
    summary: "Change an account's role (never the last active admin's); its sessions end",
    auth: ["ADMIN"],
    body: roleChangeSchema,
  });
  app.put(
    "/admin/users/:id/role",
    platform.auth,
    adminOnly,
    validate("json", roleChangeSchema),
    async (c) => {
      const { rol } = c.req.valid("json");
      const options = { userId: c.req.param("id"), rol, actorId: c.var.user.id, endSessions };
      const user = await db.asService((tx) => changeUserRole(tx, options));
      platform.log.info("user role changed", { request_id: c.var.requestId, user_id: user.id, rol });
      const mensaje = `El rol de ${user.email} ahora es ${user.rol}`;
      return c.json({ ...toUserRead(user), mensaje, message: mensaje });
    },
  );
}
