import postgres from "postgres";
import { runSearch, type SearchOptions } from "../../functions/professionals/search-engine.ts";
import type { SearchQuery } from "../../functions/professionals/search-query.ts";
import { percentile, round } from "./measure.ts";

/**
 * The database side of the search benchmark: the original system's query shape on the same rows,
 * what the database reports for each statement our engine sends (EXPLAIN ANALYZE), and the size of
 * the projection the engine reads.
 */
export type Sample = { oficio_id: string; lat: number; lng: number };

export const PAGE = 20;

/**
 * The original system's query for the same search, on the base tables (no projection), as its
 * ORM wrote it: `ST_DWithin` (the professional's own radius, or the client's 10 km), ordered by
 * distance (or rating) with LIMIT; POST also counted every match for `total`. Same filters and
 * result rows as ours; default planner settings.
 */
export async function original(
  tx: postgres.TransactionSql,
  s: Sample,
  shape: { radius: "coverage" | "client"; order: "distance" | "rating"; count: boolean },
) {
  const point =
    tx`extensions.st_setsrid(extensions.st_makepoint(${s.lng}, ${s.lat}), 4326)::extensions.geography`;
  const radius = shape.radius === "coverage" ? tx`p.radio_cobertura_km * 1000` : tx`${10_000}`;
  const matches = tx`from public.profesionales p
    join public.usuarios u on u.id = p.usuario_id
    join public.profesional_oficios po on po.profesional_id = p.id
    where po.oficio_id = ${s.oficio_id} and p.estado_verificacion = 'APROBADO' and u.is_active
      and extensions.st_dwithin(p.ubicacion, ${point}, ${radius})`;
  const order = shape.order === "distance"
    ? tx`extensions.st_distance(p.ubicacion, ${point})`
    : tx`p.rating_promedio desc, p.total_resenas desc, p.id`;
  await tx`select p.id, u.nombre, u.apellido, u.avatar_url, p.nivel, p.rating_promedio, p.total_resenas,
      p.tarifa_por_hora, p.radio_cobertura_km, extensions.st_distance(p.ubicacion, ${point}) as distancia_m
    ${matches} order by ${order} limit ${PAGE}`;
  if (shape.count) await tx`select count(*) ${matches}`;
}

/**
 * Execution time of each statement the engine sends (page, count…) as the database reports it,
 * and the page query's plan.
 */
export async function explainTimes(
  url: string,
  samples: Sample[],
  query: (s: Sample) => SearchQuery,
  options: SearchOptions,
) {
  const captured: { query: string; parameters: unknown[] }[] = [];
  const tracing = postgres(url, {
    prepare: false,
    max: 1,
    onnotice: () => {},
    debug: (_c, q, p) => captured.push({ query: q, parameters: p as unknown[] }),
  });
  const times = new Map<string, number[]>();
  let plan = "";
  try {
    for (const s of samples) {
      await tracing.begin(async (tx) => {
        captured.length = 0;
        await runSearch(tx as never, query(s), options);
        const statements = captured.filter((c) => !c.query.includes("set_config"));
        for (const statement of statements) {
          const [row] = await tx.unsafe(
            `explain (analyze, format json) ${statement.query}`,
            statement.parameters as never[],
          );
          const [result] = row["QUERY PLAN"] as { Plan: PlanNode; "Execution Time": number }[];
          const name = statementName(statement.query);
          times.set(name, [...times.get(name) ?? [], result["Execution Time"]]);
          if (name === "page") plan ||= describePlan(result.Plan);
        }
      });
    }
  } finally {
    await tracing.end();
  }
  const statements = [...times].map(([name, list]) => {
    const sorted = list.sort((a, b) => a - b);
    return `${name} ${round(percentile(sorted, 0.5))} / ${round(percentile(sorted, 0.95))} ms`;
  });
  return { statements: statements.join(", "), plan };
}

function statementName(query: string): string {
  if (query.includes("with ordinality")) return "page";
  if (query.includes("count(*)")) return "count";
  return "trade lookup";
}

type PlanNode = { "Node Type": string; "Index Name"?: string; "Order By"?: string; Plans?: PlanNode[] };

function describePlan(node: PlanNode): string {
  const here = `${node["Node Type"]}${node["Index Name"] ? ` using ${node["Index Name"]}` : ""}${
    node["Order By"] ? " (index-ordered <->)" : ""
  }`;
  const inner = (node.Plans ?? []).map(describePlan);
  return inner.length ? `${here} [${inner.join("; ")}]` : here;
}

export async function projectionRows(sql: postgres.Sql): Promise<string> {
  const [row] = await sql`select
    (select count(*) from public.busqueda_profesionales where visible)::int as pros,
    (select count(*) from public.busqueda_oficios where visible)::int as trades`;
  return `${row.pros.toLocaleString("en")} visible; ${
    row.trades.toLocaleString("en")
  } (trade, professional) rows`;
}
