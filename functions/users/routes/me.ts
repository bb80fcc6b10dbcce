import type { Hono } from "hono";
import { AppError } from "../../../shared/errors.ts";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate } from "../../../shared/validate.ts";
import { updateOwnProfile } from "../profile.ts";
import { directoryQuerySchema, updateMeSchema } from "../schemas.ts";
import { findUser, searchDirectory } from "../user-queries.ts";
import { toUserRead } from "../user-read.ts";

const DIRECTORY_LIMIT = 20;

/** The signed-in user's own account, and the directory the chat searches. */
export function registerMeRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const { db } = platform;

  doc.describe({ method: "get", path: "/users/me", summary: "Current user (UserRead)", auth: "any" });
  app.get("/users/me", platform.auth, async (c) => {
    const user = c.var.user;
    const row = await db.asUser(user, (tx) => findUser(tx, user.id));
    if (!row) throw userNotFound();
    return c.json(toUserRead(row));
  });

  doc.describe({
    method: "put",
    path: "/users/me",
    summary: "Update own nombre / apellido (partial; other keys ignored)",
    auth: "any",
    body: updateMeSchema,
  });
  app.put("/users/me", platform.auth, validate("json", updateMeSchema), async (c) => {
    const user = c.var.user;
    const row = await db.asUser(user, (tx) => updateOwnProfile(tx, user.id, c.req.valid("json")));
    if (!row) throw userNotFound();
    return c.json(toUserRead(row));
  });

  doc.describe({
    method: "get",
    path: "/users/search",
    summary: "Find other active users by e-mail or name (public fields, at most 20)",
    auth: "any",
    query: directoryQuerySchema,
  });
  app.get("/users/search", platform.auth, validate("query", directoryQuerySchema), async (c) => {
    const { q } = c.req.valid("query");
    const rows = await db.asUser(c.var.user, (tx) => searchDirectory(tx, q, DIRECTORY_LIMIT));
    return c.json(rows);
  });
}

export function userNotFound(): AppError {
  return new AppError("not_found", "Usuario no encontrado");
}
