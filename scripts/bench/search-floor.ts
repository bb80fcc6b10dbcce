/**
 * The search benchmark's HTTP floor: the same engine call behind a bare `Deno.serve`, in a process
 * of its own like the gateway — no router, no validation, no middleware. `POST /` with a
 * `SearchQuery` as JSON answers what the endpoint answers for it (`shape: page` → the
 * `POST /search` page, else the bare list). What the endpoint costs over this is our HTTP stack
 * (gateway, Hono, zod, middleware); what this costs over the SQL is the HTTP hop between processes.
 *
 * `deno run -A scripts/bench/search-floor.ts` with DATABASE_URL, PORT, SEARCH_COUNT_CAP and
 * SEARCH_DENSE_MATCHES in the environment.
 */
import { runSearch, type SearchOptions } from "../../functions/professionals/search-engine.ts";
import type { SearchQuery } from "../../functions/professionals/search-query.ts";
import { listItem, searchPage } from "../../functions/professionals/search-results.ts";
import { createDb } from "../../shared/db.ts";

const env = Deno.env.toObject();
const db = createDb(env.DATABASE_URL, { max: 5, appName: "bench-search-floor" });
const options: SearchOptions = {
  countCap: Number(env.SEARCH_COUNT_CAP),
  denseMatches: Number(env.SEARCH_DENSE_MATCHES),
};

Deno.serve({ hostname: "127.0.0.1", port: Number(env.PORT), onListen() {} }, async (request) => {
  if (request.method !== "POST") return new Response("ok");
  const { query, shape } = await request.json() as { query: SearchQuery; shape: "page" | "list" };
  const outcome = await db.asService((tx) => runSearch(tx, query, options));
  return Response.json(shape === "page" ? searchPage(outcome, query) : outcome.rows.map(listItem));
});
