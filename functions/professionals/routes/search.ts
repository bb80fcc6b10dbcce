import type { Hono } from "hono";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate } from "../../../shared/validate.ts";
import { runSearch } from "../search-engine.ts";
import { getSearchSchema, postSearchSchema, queryFromGet, queryFromPost } from "../search-query.ts";
import { listItem, searchPage } from "../search-results.ts";

/**
 * Both search flavours over one engine. Public: they never look at Authorization (the frontend
 * sends its token everywhere and logs out on any 401 — compatibility C11).
 */
export function registerSearchRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const { db, config } = platform;
  const countCap = config.SEARCH_COUNT_CAP;

  app.get("/search/professionals", validate("query", getSearchSchema), async (c) => {
    const query = queryFromGet(c.req.valid("query"), config.SEARCH_MAX_LIMIT);
    // Service connection: the projection holds base locations (not public); only public fields leave.
    const outcome = await db.asService((tx) => runSearch(tx, query, { countCap }));
    return c.json(outcome.rows.map(listItem));
  });
  doc.describe({
    method: "get",
    path: "/search/professionals",
    summary: "Approved professionals of a trade whose own coverage radius reaches the point (nearest first)",
    query: getSearchSchema,
  });

  app.post("/search", validate("json", postSearchSchema), async (c) => {
    const query = queryFromPost(c.req.valid("json"), {
      maxLimit: config.SEARCH_MAX_LIMIT,
      defaultLimit: config.SEARCH_DEFAULT_LIMIT,
    });
    const outcome = await db.asService((tx) => runSearch(tx, query, { countCap }));
    return c.json(searchPage(outcome, query));
  });
  doc.describe({
    method: "post",
    path: "/search",
    summary: "Search approved professionals: point + radius, trade, rating, price, level, availability, text",
    body: postSearchSchema,
  });
}
