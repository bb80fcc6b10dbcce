import postgres from "postgres";
import { Redis } from "@upstash/redis";
import { runSearch } from "../../functions/professionals/search-engine.ts";
import { queryFromGet, queryFromPost } from "../../functions/professionals/search-query.ts";
import { PROFESSIONALS_SETTINGS } from "../../functions/professionals/config.ts";
import type { SearchOptions } from "../../functions/professionals/search-engine.ts";
import { createDb, type Db } from "../../shared/db.ts";
import { alternate, formatMeasurement, measure, round } from "./measure.ts";
import { startFunctionProcess, startServerProcess } from "./processes.ts";
import { type InProcessGateway, inProcessGateway } from "./gateway-in-process.ts";
import { generateUpTo, generationGoalLine, sampleQueries, searchSizes } from "./search-data.ts";
import { stackCost, type StackFlavour } from "./search-stack.ts";
import { explainTimes, original, PAGE, projectionRows, type Sample } from "./search-sql.ts";
import type { BenchContext, Benchmark } from "./types.ts";

/**
 * Professional search at 100k and 1M professionals (`--search-sizes=N,M` to change; `--quick`:
 * 20k): the endpoint through the gateway (own process, inline mode, HTTP on loopback) against
 * the same engine SQL executed directly with postgres.js (the floor), the same engine call behind
 * a bare `Deno.serve` in its own process (search-floor.ts: the HTTP hop alone), the database's own
 * execution time of each statement (EXPLAIN ANALYZE), the plan, and the original system's query
 * shape on the same rows (base tables, ST_DWithin … ORDER BY distance, no projection) — what
 * users would run without this design. Data is generated set-based (see generate.ts); professionals
 * already in the database (`BENCH_DATABASE_URL` of an earlier run) are reused, not generated again.
 */

type Flavour = StackFlavour & {
  /** The original system's SQL for the same question (see `original`). */
  original: (tx: postgres.TransactionSql, s: Sample) => Promise<unknown>;
};

export const searchBenchmark: Benchmark = {
  name: "search",
  async run(ctx) {
    const sizes = searchSizes(ctx.args, ctx.quick);
    const url = ctx.env.DATABASE_URL;
    // Two connections: the generator loads on both (this machine's cores).
    const sql = postgres(url, { prepare: false, max: 2, onnotice: () => {} });
    const db = createDb(url, { max: 5, appName: "bench-direct" });
    const gateway = await startFunctionProcess(ctx.root, "gateway", ctx.env);
    const inProcess = inProcessGateway(ctx.env);
    // What the gateway's professionals function runs with, so every side does the same work.
    const options: SearchOptions = {
      countCap: PROFESSIONALS_SETTINGS.SEARCH_COUNT_CAP.parse(ctx.env.SEARCH_COUNT_CAP),
      denseMatches: PROFESSIONALS_SETTINGS.SEARCH_DENSE_MATCHES.parse(ctx.env.SEARCH_DENSE_MATCHES),
    };
    const floor = await startServerProcess(ctx.root, `${ctx.root}/scripts/bench/search-floor.ts`, {
      ...ctx.env,
      SEARCH_COUNT_CAP: String(options.countCap),
      SEARCH_DENSE_MATCHES: String(options.denseMatches),
    }, { health: "/", name: "search floor" });
    const lines: string[] = [];
    const generated = { count: 0, ms: 0 };
    try {
      for (const size of sizes) {
        lines.push(`### ${size.toLocaleString("en")} professionals`);
        const generation = await generateUpTo(ctx, sql, size);
        lines.push(generation.line);
        generated.count += generation.added;
        generated.ms += generation.ms;
        const goal = generationGoalLine(size, generated);
        if (goal) lines.push(goal);
        lines.push(`  ${await projectionRows(sql)}`);
        lines.push(
          ...await measureSize(ctx, {
            url,
            sql,
            db,
            gatewayUrl: gateway.url,
            floorUrl: floor.url,
            gateway: inProcess,
            size,
            options,
          }),
        );
      }
      lines.push(...await redisFloor(ctx.env));
    } finally {
      await gateway.stop();
      await inProcess.close();
      await floor.stop();
      await db.close();
      await sql.end();
    }
    return lines;
  },
};

async function measureSize(
  ctx: BenchContext,
  deps: {
    url: string;
    sql: postgres.Sql;
    db: Db;
    gatewayUrl: string;
    /** The same gateway built in this process (the in-process cost of our HTTP stack). */
    gateway: InProcessGateway;
    floorUrl: string;
    size: number;
    options: SearchOptions;
  },
): Promise<string[]> {
  const samples = await sampleQueries(deps.sql, 300);
  const iterations = ctx.quick ? 300 : 2000;
  const lines: string[] = [];
  const post = (base: string, s: Sample, extra: Record<string, unknown> = {}) =>
    new Request(`${base}/api/v1/search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...postBody(s), ...extra }),
    });
  const flavours: Flavour[] = [
    {
      name: "GET /search/professionals (coverage, nearest 20)",
      request: (base, s) =>
        new Request(
          `${base}/api/v1/search/professionals?oficio_id=${s.oficio_id}&lat=${s.lat}&lng=${s.lng}&limit=${PAGE}`,
        ),
      query: (s) => queryFromGet({ oficio_id: s.oficio_id, lat: s.lat, lng: s.lng, limit: PAGE }, 100),
      shape: "list",
      original: (tx, s) => original(tx, s, { radius: "coverage", order: "distance", count: false }),
    },
    {
      name: "POST /search (10 km, trade, nearest 20 + total)",
      request: (base, s) => post(base, s),
      query: (s) => queryFromPost(postBody(s), { maxLimit: 100, defaultLimit: PAGE }),
      shape: "page",
      original: (tx, s) => original(tx, s, { radius: "client", order: "distance", count: true }),
    },
    {
      name: "POST /search (10 km, trade, best rated 20 + total)",
      request: (base, s) => post(base, s, { ordenar_por: "rating" }),
      query: (s) =>
        queryFromPost({ ...postBody(s), ordenar_por: "rating" }, { maxLimit: 100, defaultLimit: PAGE }),
      shape: "page",
      original: (tx, s) => original(tx, s, { radius: "client", order: "rating", count: true }),
    },
  ];
  for (const flavour of flavours) {
    ctx.log(`measuring ${flavour.name}`);
    const pick = (i: number) => samples[i % samples.length];
    const viaHttp = async (i: number) => {
      const response = await fetch(flavour.request(deps.gatewayUrl, pick(i)));
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${flavour.name} answered ${response.status}`);
    };
    const viaFloor = async (i: number) => {
      const response = await fetch(deps.floorUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: flavour.query(pick(i)), shape: flavour.shape }),
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`the search floor answered ${response.status}`);
    };
    const direct = (i: number) =>
      deps.db.asService((tx) => runSearch(tx, flavour.query(pick(i)), deps.options));
    const stack = await stackCost(deps, flavour, pick);
    const latency = { rounds: Math.ceil(iterations / 50), perRound: 50, concurrency: 1, warmup: 100 };
    const load = { rounds: Math.ceil(iterations / 25), perRound: 50, concurrency: 8, warmup: 100 };
    // Alternated, so both see the same machine: noise from other processes falls on both.
    const [httpOne, floorOne, sqlOne] = (await alternate([viaHttp, viaFloor, direct], latency)).total;
    const [httpLoad, sqlLoad] = (await alternate([viaHttp, direct], load)).total;
    // The original's queries read every candidate: fewer rounds, or a 1M run takes an hour.
    const originalOne = await measure(
      (i) => deps.db.asService((tx) => flavour.original(tx, pick(i))),
      { iterations: ctx.quick ? 20 : 50, concurrency: 1, warmup: 3 },
    );
    const explain = await explainTimes(
      deps.url,
      samples.slice(0, ctx.quick ? 30 : 100),
      flavour.query,
      deps.options,
    );
    const p50Ratio = round(httpOne.p50_ms / sqlOne.p50_ms, 2);
    const overFloor = round(httpOne.p50_ms / floorOne.p50_ms, 2);
    lines.push(
      `${flavour.name}:`,
      `  ${formatMeasurement("endpoint via gateway, 1 in flight", httpOne)}`,
      `  ${formatMeasurement("same SQL behind a bare Deno.serve, 1 in flight", floorOne)}`,
      `  ${formatMeasurement("same SQL direct (postgres.js), 1 in flight", sqlOne)}`,
      `  ${formatMeasurement("endpoint via gateway, 8 in flight", httpLoad)}`,
      `  ${formatMeasurement("same SQL direct, 8 in flight", sqlLoad)}`,
      `  ${formatMeasurement("original system's query shape, 1 in flight", originalOne)}`,
      `  database execution (EXPLAIN ANALYZE, p50 / p95): ${explain.statements}`,
      `  p50 latency endpoint/SQL: ${p50Ratio} (goal ≤ 1.2); throughput endpoint/SQL: ` +
        `${round(httpLoad.per_second / sqlLoad.per_second, 2)} (8 in flight), ` +
        `${round(httpOne.per_second / sqlOne.per_second, 2)} (1 in flight)`,
      `  p50 where it goes: the HTTP hop alone (bare Deno.serve / SQL) ${
        round(floorOne.p50_ms / sqlOne.p50_ms, 2)
      }, our HTTP stack over it (endpoint / bare Deno.serve) ${overFloor}`,
      `  our HTTP stack in-process (this process's CPU per request, all its threads, no HTTP): the endpoint ` +
        `${stack.other} µs, the engine call and its JSON response ${stack.base} µs, median difference ` +
        `${stack.extra >= 0 ? "+" : ""}${stack.extra} µs (the gateway's and the function's routing and ` +
        "middleware, validation, Request and Response objects, their garbage)",
      `  original query shape / ours (p50, both direct SQL): ${
        round(originalOne.p50_ms / sqlOne.p50_ms, 1)
      }x`,
      `  plan: ${explain.plan}`,
    );
    const at = `${deps.size.toLocaleString("en")} professionals`;
    ctx.figure({
      kind: "latency",
      title: `${flavour.name}, ${at}, 1 in flight`,
      unit: "ms",
      series: {
        "endpoint via gateway": httpOne.samples,
        "same SQL behind a bare Deno.serve": floorOne.samples,
        "same SQL direct": sqlOne.samples,
        "original system's query shape": originalOne.samples,
      },
    });
    ctx.figure({
      kind: "ratio",
      title: `${flavour.name}, ${at}: endpoint p50 ÷ same SQL p50`,
      value: p50Ratio,
      floor: 1,
      goal: 1.2,
      better: "lower",
    });
    ctx.figure({
      kind: "ratio",
      title: `${flavour.name}, ${at}: endpoint p50 ÷ the same SQL behind a bare Deno.serve`,
      value: overFloor,
      floor: 1,
      better: "lower",
    });
    ctx.figure({
      kind: "ratio",
      title: `${flavour.name}, ${at}: original query shape p50 ÷ ours`,
      value: round(originalOne.p50_ms / sqlOne.p50_ms, 1),
      floor: 1,
      better: "higher",
      unit: "x",
    });
  }
  return lines;
}

function postBody(s: Sample) {
  return { latitude: s.lat, longitude: s.lng, radio_km: 10, oficio_id: s.oficio_id, skip: 0, limit: PAGE };
}

/** What a Redis cache hit would cost: one Upstash REST GET (the stand-in over real redis-server). */
async function redisFloor(env: Record<string, string>): Promise<string[]> {
  const redis = new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN });
  await redis.set("bench:search:probe", JSON.stringify({ resultados: [] }));
  const m = await measure(() => redis.get("bench:search:probe"), {
    iterations: 1000,
    concurrency: 1,
    warmup: 50,
  });
  return [`### cache floor`, formatMeasurement("Upstash REST GET (a cache hit, before any work)", m)];
}
