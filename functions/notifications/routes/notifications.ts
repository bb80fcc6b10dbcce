import type { Hono } from "hono";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate } from "../../../shared/validate.ts";
import {
  deleteNotification,
  getNotification,
  listNotifications,
  markAllRead,
  markRead,
  notificationId,
  unreadCount,
} from "../notification-store.ts";
import { countSchema, listQuery, notificationPage, notificationSchema } from "../schemas.ts";

/** The notification center: list, unread count, read one / all, delete — each person's own only. */
export function registerNotificationRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const { auth, db } = platform;

  doc.describe({
    method: "get",
    path: "/notifications",
    summary: "My notifications, newest first (paginated; `unread=true` for unread only)",
    auth: "any",
    query: listQuery,
    responses: { 200: { description: "A page of notifications", schema: notificationPage } },
  });
  app.get("/notifications", auth, validate("query", listQuery), async (c) => {
    const q = c.req.valid("query");
    const unreadOnly = q.unread ?? q.solo_no_leidas ?? false;
    const page = await db.asUser(c.var.user, (tx) => listNotifications(tx, { ...q, unreadOnly }));
    return c.json(page);
  });

  doc.describe({
    method: "get",
    path: "/notifications/unread-count",
    summary: "How many of my notifications are unread",
    auth: "any",
    responses: { 200: { description: "{count}", schema: countSchema } },
  });
  app.get("/notifications/unread-count", auth, async (c) => {
    return c.json({ count: await db.asUser(c.var.user, unreadCount) });
  });

  doc.describe({
    method: "put",
    path: "/notifications/read-all",
    summary: "Mark all my notifications as read",
    auth: "any",
    responses: { 200: { description: "{updated}: how many changed" } },
  });
  app.put("/notifications/read-all", auth, async (c) => {
    return c.json({ updated: await db.asUser(c.var.user, markAllRead) });
  });

  doc.describe({
    method: "get",
    path: "/notifications/:id",
    summary: "One of my notifications",
    auth: "any",
    responses: {
      200: { description: "The notification", schema: notificationSchema },
      404: { description: "Not mine or unknown" },
    },
  });
  app.get("/notifications/:id", auth, async (c) => {
    const id = notificationId(c.req.param("id"));
    return c.json(await db.asUser(c.var.user, (tx) => getNotification(tx, id)));
  });

  doc.describe({
    method: "put",
    path: "/notifications/:id/read",
    summary: "Mark one of my notifications as read",
    auth: "any",
    responses: {
      200: { description: "The notification", schema: notificationSchema },
      404: { description: "Not mine or unknown" },
    },
  });
  app.put("/notifications/:id/read", auth, async (c) => {
    const id = notificationId(c.req.param("id"));
    return c.json(await db.asUser(c.var.user, (tx) => markRead(tx, id)));
  });

  doc.describe({
    method: "delete",
    path: "/notifications/:id",
    summary: "Delete one of my notifications",
    auth: "any",
    responses: { 204: { description: "Deleted" }, 404: { description: "Not mine or unknown" } },
  });
  app.delete("/notifications/:id", auth, async (c) => {
    const id = notificationId(c.req.param("id"));
    await db.asUser(c.var.user, (tx) => deleteNotification(tx, id));
    return c.body(null, 204);
  });
}
