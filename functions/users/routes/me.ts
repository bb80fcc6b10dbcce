import { z } from "zod";
import { AppError } from "../../../shared/errors.ts";
import type { UsersPlatform } from "../config.ts";
import { createRoute, errorSchema, json, jsonBody, type ServiceApp } from "../../../shared/route.ts";
import { toUserRead, userReadSchema } from "../../../shared/user-read.ts";
import { updateOwnProfile } from "../profile.ts";
import { createDirectoryLimiter } from "../directory-limit.ts";
import { directoryQuerySchema, updateMeSchema } from "../schemas.ts";
import { findUser, searchDirectory } from "../user-queries.ts";

const DIRECTORY_LIMIT = 20;

/** What any signed-in user may learn about another account: no e-mail, no role (issue 10). */
const directoryEntrySchema = z.object({
  id: z.uuid(),
  nombre: z.string(),
  apellido: z.string(),
  avatar_url: z.string().nullable(),
  es_profesional: z.boolean().describe("The account offers services (the chat shows it)"),
}).meta({ id: "DirectoryEntry" });

/** The signed-in user's own account, and the directory the chat searches. */
export function registerMeRoutes(app: ServiceApp, platform: UsersPlatform) {
  const { db } = platform;
  const directoryLimit = createDirectoryLimiter(
    platform.redis,
    platform.config.RATE_LIMIT_USER_DIRECTORY,
    platform.log,
  );

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
      summary:
        "Find other users for a chat: name contains q, or e-mail is exactly q (public card, at most 20; rate-limited)",
      ...platform.access("signed-in"),
      request: { query: directoryQuerySchema },
      responses: {
        200: json(z.array(directoryEntrySchema), "Matching accounts (never admins, never the caller)"),
        429: json(errorSchema, "Too many searches; Retry-After says when to try again"),
      },
    }),
    async (c) => {
      const { q } = c.req.valid("query");
      await directoryLimit.consume(c.var.user.id);
      const rows = await db.asUser(c.var.user, (tx) => searchDirectory(tx, q, DIRECTORY_LIMIT));
      return c.json(rows, 200);
    },
  );
}

export function userNotFound(): AppError {
  return new AppError("not_found", "Usuario no encontrado");
}
