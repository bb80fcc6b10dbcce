import { z } from "zod";
import { AppError } from "../../../shared/errors.ts";
import type { UsersPlatform } from "../config.ts";
import {
  createRoute,
  idParamsFor,
  json,
  jsonBody,
  messageSchema,
  type ServiceApp,
} from "../../../shared/route.ts";
import {
  toUserRead,
  toUserSearchResult,
  userReadSchema,
  userSearchResultSchema,
} from "../../../shared/user-read.ts";
import { adminListQuerySchema, adminSearchQuerySchema, roleChangeSchema } from "../schemas.ts";
import { findUser, listUsers, searchByEmail } from "../user-queries.ts";
import { changeUserRole } from "../user-role.ts";
import { changeUserStatus, type StatusChange, statusResponse } from "../user-status.ts";
import { userNotFound } from "./me.ts";

const SEARCH_LIMIT = 50;
const userIdParams = idParamsFor("Usuario no encontrado");

const userPageSchema = z.object({
  users: z.array(userSearchResultSchema),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
  totalPages: z.number().int(),
});

const statusChangeSchema = messageSchema.extend({
  user_id: z.uuid(),
  email: z.string(),
  is_active: z.boolean(),
});

/** Admin user management. Reads go through the admin's own transaction (RLS: admins see all). */
export function registerAdminUserRoutes(app: ServiceApp, platform: UsersPlatform) {
  const { db } = platform;
  const adminOnly = platform.access(["ADMIN"]);
  const endSessions = (userId: string) => platform.sessions.endAll(userId);

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/users",
      summary: "Accounts, newest first: {users, total, page, limit, totalPages}",
      ...adminOnly,
      request: { query: adminListQuerySchema },
      responses: { 200: json(userPageSchema, "One page of accounts") },
    }),
    async (c) => {
      const { page, limit, q, search, rol, is_active } = c.req.valid("query");
      const filter = { page, limit, q: q || search || undefined, rol, isActive: is_active };
      const { rows, total } = await db.asUser(c.var.user, (tx) => listUsers(tx, filter));
      const totalPages = Math.max(1, Math.ceil(total / limit));
      return c.json({ users: rows.map(toUserSearchResult), total, page, limit, totalPages }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/users/search",
      summary: "Accounts whose e-mail contains the term (at least 2 characters; at most 50)",
      ...adminOnly,
      request: { query: adminSearchQuerySchema },
      responses: { 200: json(z.array(userSearchResultSchema), "Matching accounts") },
    }),
    async (c) => {
      const { email } = c.req.valid("query");
      if (email.length < 2) {
        throw new AppError("bad_request", "El término de búsqueda debe tener al menos 2 caracteres");
      }
      const rows = await db.asUser(c.var.user, (tx) => searchByEmail(tx, email, SEARCH_LIMIT));
      return c.json(rows.map(toUserSearchResult), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/users/{id}",
      summary: "One account (UserRead)",
      ...adminOnly,
      request: { params: userIdParams },
      responses: { 200: json(userReadSchema, "The account") },
    }),
    async (c) => {
      const row = await db.asUser(c.var.user, (tx) => findUser(tx, c.req.valid("param").id));
      if (!row) throw userNotFound();
      return c.json(toUserRead(row), 200);
    },
  );

  for (const change of ["ban", "unban"] as const satisfies StatusChange[]) {
    app.openapi(
      createRoute({
        method: "post",
        path: `/admin/users/{id}/${change}`,
        summary: change === "ban"
          ? "Ban an account (is_active=false; its sessions end; never an admin)"
          : "Lift a ban (is_active=true)",
        ...adminOnly,
        request: { params: userIdParams },
        responses: { 200: json(statusChangeSchema, "The account's new status") },
      }),
      async (c) => {
        const options = { userId: c.req.valid("param").id, actorId: c.var.user.id, endSessions };
        const user = await db.asService((tx) => changeUserStatus(tx, change, options));
        platform.log.info(`user ${change}`, {
          request_id: c.var.requestId,
          user_id: user.id,
          by: c.var.user.id,
        });
        return c.json(statusResponse(change, user), 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: "put",
      path: "/admin/users/{id}/role",
      summary: "Change an account's role (never the last active admin's); its sessions end",
      ...adminOnly,
      request: { params: userIdParams, body: jsonBody(roleChangeSchema) },
      responses: { 200: json(userReadSchema.extend(messageSchema.shape), "The account with its new role") },
    }),
    async (c) => {
      const { rol } = c.req.valid("json");
      const options = { userId: c.req.valid("param").id, rol, actorId: c.var.user.id, endSessions };
      const user = await db.asService((tx) => changeUserRole(tx, options));
      platform.log.info("user role changed", { request_id: c.var.requestId, user_id: user.id, rol });
      const mensaje = `El rol de ${user.email} ahora es ${user.rol}`;
      return c.json({ ...toUserRead(user), mensaje, message: mensaje }, 200);
    },
  );
}
