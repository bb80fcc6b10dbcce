import { z } from "zod";
import type { ProfessionalsPlatform } from "../config.ts";
import { createRoute, json, jsonBody, type ServiceApp } from "../../../shared/route.ts";
import { runSearch } from "../search-engine.ts";
import { getSearchSchema, postSearchSchema, queryFromGet, queryFromPost } from "../search-query.ts";
import { listItem, searchListItemSchema, searchPage, searchPageSchema } from "../search-results.ts";

/**
 * Both search flavours over one engine. Public (no `access`, so no auth middleware): they never
 * look at Authorization (the frontend sends its token everywhere and logs out on any 401 —
 * compatibility C11).
 */
export function registerSearchRoutes(app: ServiceApp, platform: ProfessionalsPlatform) {
  const { db, config } = platform;
  const options = { countCap: config.SEARCH_COUNT_CAP, denseMatches: config.SEARCH_DENSE_MATCHES };

  app.openapi(
    createRoute({
      method: "get",
      path: "/search/professionals",
      summary:
        "Approved professionals of a trade whose own coverage radius reaches the point (nearest first)",
      request: { query: getSearchSchema },
      responses: { 200: json(z.array(searchListItemSchema), "Matches, a bare list ([] when none)") },
    }),
    async (c) => {
      const query = queryFromGet(c.req.valid("query"), config.SEARCH_MAX_LIMIT);
      // Service connection: the projection holds base locations (not public); only public fields leave.
      const outcome = await db.asService((tx) => runSearch(tx, query, options));
      return c.json(outcome.rows.map(listItem), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/search",
      summary:
        "Search approved professionals: point + radius, trade, rating, price, level, availability, text",
      // A request without a body is a search without filters, as before.
      request: { body: jsonBody(postSearchSchema) },
      responses: { 200: json(searchPageSchema, "{total, resultados, pagina, total_paginas}") },
    }),
    async (c) => {
      const query = queryFromPost(c.req.valid("json"), {
        maxLimit: config.SEARCH_MAX_LIMIT,
        defaultLimit: config.SEARCH_DEFAULT_LIMIT,
      });
      const outcome = await db.asService((tx) => runSearch(tx, query, options));
      return c.json(searchPage(outcome, query), 200);
    },
  );
}
