import postgres from "postgres";
import { Redis } from "@upstash/redis";
import { runSearch } from "../../functions/professionals/search-engine.ts";
import { queryFromGet, queryFromPost, type SearchQuery } from "../../functions/professionals/search-query.ts";
import { createDb } from "../../shared/db.ts";
import { generateProfessionals, progressLine } from "../professionals/generate.ts";
import { formatMeasurement, measure, type Measurement, round } from "./measure.ts";
import { startFunctionProcess } from "./processes.ts";
import type { Benchmark } from "./types.ts";

/**
 * Professional search at 100k and 1M professionals (`--search-sizes=N,M` to change; `--quick`:
 * 20k): the endpoint through the gateway (own process, inline mode, HTTP on loopback) against
 * the same engine SQL executed directly with postgres.js (the floor), plus the database's own
 * execution time (EXPLAIN ANALYZE) and the plan. Data is generated set-based (generate_series).
 */
type Sample = { oficio_id: string; lat: number; lng: number };

const PAGE = 20;

export const searchBenchmark: Benchmark = {
  name: "search",
  async run(ctx) {
    const sizes = searchSizes(ctx.args, ctx.quick);
    const url = ctx.env.DATABASE_URL;
    const sql = postgres(url, { prepare: false, max: 2, onnotice: () => {} });
    const db = createDb(url, { max: 5, appName: "bench-direct" });
    const gateway = await startFunctionProcess(ctx.root, "gateway", ctx.env);
    const lines: string[] = [];
    try {
      let generated = 0;
      for (const size of sizes) {
        const started = performance.now();
        await generateProfessionals(sql, {
          from: generated + 1,
          to: size,
          tag: "bench",
          onProgress: (done, _total, ms) => ctx.log(`generating ${progressLine(generated + done, size, ms)}`),
        });
        ctx.log(`${size} professionals ready in ${Math.round((performance.now() - started) / 1000)} s`);
        generated = size;
        lines.push(`### ${size.toLocaleString("en")} professionals (${await projectionRows(sql)})`);
        lines.push(...await measureSize(ctx, { url, sql, db, gatewayUrl: gateway.url }));
      }
      lines.push(...await redisFloor(ctx.env));
    } finally {
      await gateway.stop();
      await db.close();
      await sql.end();
    }
    return lines;
  },
};

function searchSizes(args: string[], quick: boolean): number[] {
  const flag = args.find((a) => a.startsWith("--search-sizes="));
  if (flag) return flag.split("=")[1].split(",").map(Number).filter((n) => n > 0).sort((a, b) => a - b);
  return quick ? [20_000] : [100_000, 1_000_000];
}

async function measureSize(
  ctx: { quick: boolean; log: (m: string) => void },
  deps: { url: string; sql: postgres.Sql; db: ReturnType<typeof createDb>; gatewayUrl: string },
): Promise<string[]> {
  const samples = await sampleQueries(deps.sql, 300);
  const iterations = ctx.quick ? 300 : 2000;
  const lines: string[] = [];
  const flavours: {
    name: string;
    http: (s: Sample) => Promise<Response>;
    query: (s: Sample) => SearchQuery;
  }[] = [
    {
      name: "GET /search/professionals (coverage, nearest 20)",
      http: (s) =>
        fetch(
          `${deps.gatewayUrl}/api/v1/search/professionals?oficio_id=${s.oficio_id}&lat=${s.lat}&lng=${s.lng}&limit=${PAGE}`,
        ),
      query: (s) => queryFromGet({ oficio_id: s.oficio_id, lat: s.lat, lng: s.lng, limit: PAGE }, 100),
    },
    {
      name: "POST /search (10 km, trade, nearest 20 + total)",
      http: (s) =>
        fetch(`${deps.gatewayUrl}/api/v1/search`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(postBody(s)),
        }),
      query: (s) => queryFromPost(postBody(s), { maxLimit: 100, defaultLimit: PAGE }),
    },
    {
      name: "POST /search (10 km, trade, best rated 20 + total)",
      http: (s) =>
        fetch(`${deps.gatewayUrl}/api/v1/search`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...postBody(s), ordenar_por: "rating" }),
        }),
      query: (s) =>
        queryFromPost({ ...postBody(s), ordenar_por: "rating" }, { maxLimit: 100, defaultLimit: PAGE }),
    },
  ];
  for (const flavour of flavours) {
    ctx.log(`measuring ${flavour.name}`);
    const viaHttp = async (i: number) => {
      const response = await flavour.http(samples[i % samples.length]);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${flavour.name} answered ${response.status}`);
    };
    const direct = (i: number) =>
      deps.db.asService((tx) =>
        runSearch(tx, flavour.query(samples[i % samples.length]), { countCap: 1000 })
      );
    const latency = { iterations, concurrency: 1, warmup: 100 };
    const load = { iterations: iterations * 2, concurrency: 8, warmup: 100 };
    const httpOne = await measure(viaHttp, latency);
    const sqlOne = await measure(direct, latency);
    const httpLoad = await measure(viaHttp, load);
    const sqlLoad = await measure(direct, load);
    const explain = await explainTimes(deps.url, samples.slice(0, ctx.quick ? 30 : 100), flavour.query);
    lines.push(
      `${flavour.name}:`,
      `  ${fmt("endpoint via gateway, 1 in flight", httpOne)}`,
      `  ${fmt("same SQL direct (postgres.js), 1 in flight", sqlOne)}`,
      `  ${fmt("endpoint via gateway, 8 in flight", httpLoad)}`,
      `  ${fmt("same SQL direct, 8 in flight", sqlLoad)}`,
      `  database execution (EXPLAIN ANALYZE of the page query): p50 ${explain.p50} ms  p95 ${explain.p95} ms`,
      `  throughput endpoint/SQL: ${round(httpLoad.per_second / sqlLoad.per_second, 2)} (8 in flight), ` +
        `${round(httpOne.per_second / sqlOne.per_second, 2)} (1 in flight); ` +
        `p50 latency endpoint/SQL: ${round(httpOne.p50_ms / sqlOne.p50_ms, 2)}`,
      `  plan: ${explain.plan}`,
    );
  }
  return lines;
}

function postBody(s: Sample) {
  return { latitude: s.lat, longitude: s.lng, radio_km: 10, oficio_id: s.oficio_id, skip: 0, limit: PAGE };
}

function fmt(label: string, m: Measurement): string {
  return formatMeasurement(label, m);
}

/** Points where people search: near visible professionals (±3 km), a few in empty places. */
async function sampleQueries(sql: postgres.Sql, n: number): Promise<Sample[]> {
  const rows = await sql<Sample[]>`
    select oficio_id,
      extensions.st_y(ubicacion::extensions.geometry) + (random() - 0.5) * 0.05 as lat,
      extensions.st_x(ubicacion::extensions.geometry) + (random() - 0.5) * 0.05 as lng
    from public.busqueda_oficios tablesample system (5)
    where visible and ubicacion is not null
    limit ${n}`;
  const empty = rows.slice(0, Math.ceil(n / 10)).map((r) => ({
    ...r,
    lat: -45 - Math.random() * 5,
    lng: -30,
  }));
  return [...rows, ...empty].sort(() => Math.random() - 0.5);
}

/** Execution time of the engine's page query as the database reports it, and one plan's shape. */
async function explainTimes(url: string, samples: Sample[], query: (s: Sample) => SearchQuery) {
  const captured: { query: string; parameters: unknown[] }[] = [];
  const tracing = postgres(url, {
    prepare: false,
    max: 1,
    onnotice: () => {},
    debug: (_c, q, p) => captured.push({ query: q, parameters: p as unknown[] }),
  });
  const times: number[] = [];
  let plan = "";
  try {
    for (const s of samples) {
      await tracing.begin(async (tx) => {
        captured.length = 0;
        await runSearch(tx as never, query(s), { countCap: 1000 });
        const page = captured.find((c) => c.query.includes("with ordinality"))!;
        const [row] = await tx.unsafe(
          `explain (analyze, format json) ${page.query}`,
          page.parameters as never[],
        );
        const [result] = row["QUERY PLAN"] as { Plan: PlanNode; "Execution Time": number }[];
        times.push(result["Execution Time"]);
        plan ||= describePlan(result.Plan);
      });
    }
  } finally {
    await tracing.end();
  }
  times.sort((a, b) => a - b);
  return {
    p50: round(times[Math.floor(times.length / 2)]),
    p95: round(times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]),
    plan,
  };
}

type PlanNode = { "Node Type": string; "Index Name"?: string; "Order By"?: string; Plans?: PlanNode[] };

function describePlan(node: PlanNode): string {
  const here = `${node["Node Type"]}${node["Index Name"] ? ` using ${node["Index Name"]}` : ""}${
    node["Order By"] ? " (index-ordered <->)" : ""
  }`;
  const inner = (node.Plans ?? []).map(describePlan);
  return inner.length ? `${here} [${inner.join("; ")}]` : here;
}

async function projectionRows(sql: postgres.Sql): Promise<string> {
  const [row] = await sql`select
    (select count(*) from public.busqueda_profesionales where visible)::int as pros,
    (select count(*) from public.busqueda_oficios where visible)::int as trades`;
  return `${row.pros.toLocaleString("en")} visible; ${
    row.trades.toLocaleString("en")
  } (trade, professional) rows`;
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
  return [`### cache floor`, fmt("Upstash REST GET (a cache hit, before any work)", m)];
}
