import { z } from "zod";
import { ROLES } from "../../../shared/auth-user.ts";
import { AppError } from "../../../shared/errors.ts";
import type { Platform } from "../../../shared/platform.ts";
import { createRoute, json, jsonBody, type ServiceApp } from "../../../shared/route.ts";
import { toUserRead, userReadSchema } from "../../../shared/user-read.ts";
import { updateOwnProfile } from "../profile.ts";
import { directoryQuerySchema, updateMeSchema } from "../schemas.ts";
import { findUser, searchDirectory } from "../user-queries.ts";

const DIRECTORY_LIMIT = 20;

const directoryEntrySchema = z.object({
  id: z.uuid(),
  email: z.string(),
  nombre: z.string(),
  apellido: z.string(),
  rol: z.enum(ROLES),
  is_active: z.boolean(),
  avatar_url: z.string().nullable(),
});

/** The signed-in user's own account, and the directory the chat searches. */
export function registerMeRoutes(app: ServiceApp, platform: Platform) {
  const { db } = platform;

  app.openapi(
    createRoute({
      method: "get",
      path: "/users/me",
      summary: "Current user (UserRead)",
      ...platform.access("signed-in"),
      responses: { 200: json(userReadSchema, "The signed-in account") },
    }),
    async (c) => {
      const user = c.var.user;
      const row = await db.asUser(user, (tx) => findUser(tx, user.id));
      if (!row) throw userNotFound();
      return c.json(toUserRead(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/users/me",
      summary: "Update own nombre / apellido (partial; other keys ignored)",
      ...platform.access("signed-in"),
      request: { body: jsonBody(updateMeSchema) },
      responses: { 200: json(userReadSchema, "The updated account") },
    }),
    async (c) => {
      const user = c.var.user;
      const row = await db.asUser(user, (tx) => updateOwnProfile(tx, user.id, c.req.valid("json")));
      if (!row) throw userNotFound();
      return c.json(toUserRead(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/users/search",
      summary: "Find other active users by e-mail or name (public fields, at most 20)",
      ...platform.access("signed-in"),
      request: { query: directoryQuerySchema },
      responses: { 200: json(z.array(directoryEntrySchema), "Matching accounts") },
    }),
    async (c) => {
      const { q } = c.req.valid("query");
      const rows = await db.asUser(c.var.user, (tx) => searchDirectory(tx, q, DIRECTORY_LIMIT));
      return c.json(rows, 200);
    },
  );
}

export function userNotFound(): AppError {
  return new AppError("not_found", "Usuario no encontrado");
}
