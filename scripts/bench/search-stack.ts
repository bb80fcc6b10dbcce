import { runSearch, type SearchOptions } from "../../functions/professionals/search-engine.ts";
import type { SearchQuery } from "../../functions/professionals/search-query.ts";
import { listItem, searchPage } from "../../functions/professionals/search-results.ts";
import type { Db } from "../../shared/db.ts";
import { alternatingCpu, type InProcessGateway } from "./gateway-in-process.ts";
import type { Sample } from "./search-sql.ts";

/** What the search benchmark asks, as far as the in-process comparison needs it. */
export type StackFlavour = {
  name: string;
  /** The endpoint's request at the gateway on `base`. */
  request: (base: string, s: Sample) => Request;
  query: (s: Sample) => SearchQuery;
  /** What the endpoint answers: the `POST /search` page or the bare list. */
  shape: "page" | "list";
};

/**
 * What the endpoint's own code costs over the engine, without the HTTP hop and on this process's
 * CPU clock (little moved by other load): the inline gateway built in-process answering the
 * flavour's request, against the same engine call with the same JSON response built by hand.
 */
export async function stackCost(
  deps: { gateway: InProcessGateway; db: Db; options: SearchOptions },
  flavour: StackFlavour,
  pick: (i: number) => Sample,
) {
  // A counter each: blocks of both sides have the same size, so each block of one side runs the
  // same samples as the other's (empty results included).
  let stackCalls = 0;
  let engineCalls = 0;
  const viaStack = async () => {
    const response = await deps.gateway.fetch(flavour.request("http://127.0.0.1", pick(stackCalls++)));
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${flavour.name} answered ${response.status} in-process`);
  };
  const engineAlone = async () => {
    const query = flavour.query(pick(engineCalls++));
    const outcome = await deps.db.asService((tx) => runSearch(tx, query, deps.options));
    const body = flavour.shape === "page" ? searchPage(outcome, query) : outcome.rows.map(listItem);
    await Response.json(body).arrayBuffer();
  };
  const cost = await alternatingCpu([engineAlone, viaStack], { rounds: 10, calls: 50, warmup: 50 });
  return { base: Math.round(cost.base), other: Math.round(cost.other), extra: Math.round(cost.extra) };
}
