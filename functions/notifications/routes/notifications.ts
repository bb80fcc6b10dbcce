import type { NotificationsPlatform } from "../config.ts";
import { createRoute, errorSchema, idParams, json, type ServiceApp } from "../../../shared/route.ts";
import {
  deleteNotification,
  getNotification,
  listNotifications,
  markAllRead,
  markRead,
  unreadCount,
} from "../notification-store.ts";
import { countSchema, listQuery, notificationPage, notificationSchema, updatedSchema } from "../schemas.ts";

/** The notification center: list, unread count, read one / all, delete — each person's own only. */
export function registerNotificationRoutes(app: ServiceApp, platform: NotificationsPlatform) {
  const { db } = platform;
  const signedIn = platform.access("signed-in");
  const notMine = json(errorSchema, "Not mine or unknown");

  app.openapi(
    createRoute({
      method: "get",
      path: "/notifications",
      summary: "My notifications, newest first (paginated; `unread=true` for unread only)",
      ...signedIn,
      request: { query: listQuery },
      responses: { 200: json(notificationPage, "A page of notifications") },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const unreadOnly = q.unread ?? q.solo_no_leidas ?? false;
      const page = await db.asUser(c.var.user, (tx) => listNotifications(tx, { ...q, unreadOnly }));
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/notifications/unread-count",
      summary: "How many of my notifications are unread",
      ...signedIn,
      responses: { 200: json(countSchema, "{count}") },
    }),
    async (c) => c.json({ count: await db.asUser(c.var.user, unreadCount) }, 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/notifications/read-all",
      summary: "Mark all my notifications as read",
      ...signedIn,
      responses: { 200: json(updatedSchema, "{updated}: how many changed") },
    }),
    async (c) => c.json({ updated: await db.asUser(c.var.user, markAllRead) }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/notifications/{id}",
      summary: "One of my notifications",
      ...signedIn,
      request: { params: idParams },
      responses: { 200: json(notificationSchema, "The notification"), 404: notMine },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await db.asUser(c.var.user, (tx) => getNotification(tx, id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/notifications/{id}/read",
      summary: "Mark one of my notifications as read",
      ...signedIn,
      request: { params: idParams },
      responses: { 200: json(notificationSchema, "The notification"), 404: notMine },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await db.asUser(c.var.user, (tx) => markRead(tx, id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/notifications/{id}",
      summary: "Delete one of my notifications",
      ...signedIn,
      request: { params: idParams },
      responses: { 204: { description: "Deleted" }, 404: notMine },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await db.asUser(c.var.user, (tx) => deleteNotification(tx, id));
      return c.body(null, 204);
    },
  );
}
