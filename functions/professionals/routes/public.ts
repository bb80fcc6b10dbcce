import { z } from "zod";
import type { Tx } from "../../../shared/db.ts";
import type { ProfessionalsPlatform } from "../config.ts";
import { createRoute, errorSchema, idParams, json, type ServiceApp } from "../../../shared/route.ts";
import { itemsOf, portfolioItemSchema } from "../portfolio.ts";
import {
  publicProfile,
  publicProfileSchema,
  publicReviewSchema,
  requireVisibleProfessional,
  reviewsOf,
} from "../public-profile.ts";

const unknownProfessional = json(errorSchema, "Unknown, not approved or banned");

/**
 * Public profile pages. They never look at Authorization (compatibility C11: no `access`, so no
 * auth middleware) and read on the service connection with an explicit id filter, returning
 * public fields only.
 */
export function registerPublicRoutes(app: ServiceApp, platform: ProfessionalsPlatform) {
  const { db } = platform;
  /** `read` for the professional `id`, after the same visibility check as their profile (404 otherwise). */
  const ofVisibleProfessional = <T>(id: string, read: (tx: Tx, id: string) => Promise<T>) =>
    db.asService(async (tx) => {
      await requireVisibleProfessional(tx, id);
      return await read(tx, id);
    });

  app.openapi(
    createRoute({
      method: "get",
      path: "/public/professional/{id}",
      summary: "Public profile of an approved, active professional (profile id)",
      request: { params: idParams },
      responses: {
        200: json(publicProfileSchema, "The public profile"),
        404: unknownProfessional,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await db.asService((tx) => publicProfile(tx, id)), 200);
    },
  );

  // Same visibility as the profile (issue 10): the monolith served the portfolio of anyone.
  app.openapi(
    createRoute({
      method: "get",
      path: "/public/professional/{id}/portfolio",
      summary: "A professional's portfolio, newest first (approved, active professionals only)",
      request: { params: idParams },
      responses: {
        200: json(z.array(portfolioItemSchema), "The items, newest first"),
        404: unknownProfessional,
      },
    }),
    async (c) => c.json(await ofVisibleProfessional(c.req.valid("param").id, itemsOf), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/public/professional/{id}/resenas",
      summary: "A professional's reviews, newest first (approved, active professionals only)",
      request: { params: idParams },
      responses: {
        200: json(z.array(publicReviewSchema), "The reviews, newest first"),
        404: unknownProfessional,
      },
    }),
    async (c) => c.json(await ofVisibleProfessional(c.req.valid("param").id, reviewsOf), 200),
  );
}
