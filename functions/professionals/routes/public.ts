import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate } from "../../../shared/validate.ts";
import { itemsOf } from "../portfolio.ts";
import { publicProfile, requireProfessional, reviewsOf } from "../public-profile.ts";

const idParam = z.object({ id: z.uuid() });

/**
 * Public profile pages. They never look at Authorization (compatibility C11) and read on the
 * service connection with an explicit id filter, returning public fields only.
 */
export function registerPublicRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const { db } = platform;

  app.get("/public/professional/:id", validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await db.asService((tx) => publicProfile(tx, id)));
  });
  doc.describe({
    method: "get",
    path: "/public/professional/:id",
    summary: "Public profile of an approved, active professional (profile id)",
    params: idParam,
  });

  // Works for unapproved professionals too (the monolith's behaviour: portfolio is public content).
  app.get("/public/professional/:id/portfolio", validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    return c.json(
      await db.asService(async (tx) => {
        await requireProfessional(tx, id);
        return await itemsOf(tx, id);
      }),
    );
  });
  doc.describe({
    method: "get",
    path: "/public/professional/:id/portfolio",
    summary: "A professional's portfolio, newest first",
    params: idParam,
  });

  app.get("/public/professional/:id/resenas", validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    return c.json(
      await db.asService(async (tx) => {
        await requireProfessional(tx, id);
        return await reviewsOf(tx, id);
      }),
    );
  });
  doc.describe({
    method: "get",
    path: "/public/professional/:id/resenas",
    summary: "A professional's reviews, newest first",
    params: idParam,
  });
}
