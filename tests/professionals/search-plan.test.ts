import assert from "node:assert/strict";
import postgres from "postgres";
import { runSearch } from "../../functions/professionals/search-engine.ts";
import { queryFromGet, queryFromPost } from "../../functions/professionals/search-query.ts";
import { it, testEnv } from "../support/env.ts";
import { createTrade, isolatedPoint } from "./helpers.ts";

/**
 * Proves the query plan DESIGN.md §4 asks for, on the engine's own SQL (captured from the
 * driver): an index-ordered KNN scan of the partial GiST index — no bitmap scan, no sort of all
 * candidates. The planner only picks plans on realistic statistics, so 20 000 projection rows are
 * loaded and analysed inside a transaction that is rolled back (parallel tests never see them).
 */
type Captured = { query: string; parameters: unknown[] };
type PlanNode = { "Node Type": string; "Index Name"?: string; "Order By"?: string; Plans?: PlanNode[] };

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

const SEARCH_OPTIONS = { countCap: 200, denseMatches: 1000 };

type Fixture = { tradeId: string; center: { lat: number; lng: number } };

async function explainSearch(run: (tx: postgres.TransactionSql, fixture: Fixture) => Promise<unknown>) {
  const captured: Captured[] = [];
  const sql = postgres(testEnv().DATABASE_URL, {
    prepare: false,
    max: 1,
    onnotice: () => {},
    debug: (_connection, query, parameters) => captured.push({ query, parameters: parameters as unknown[] }),
  });
  const trade = await createTrade();
  const center = isolatedPoint();
  try {
    return await sql.begin(async (tx) => {
      await tx`select set_config('session_replication_role', 'replica', true)`;
      await tx`
        insert into public.busqueda_profesionales (profesional_id, usuario_id, visible, nombre, apellido, nivel,
          puntos_experiencia, rating_promedio, total_resenas, tarifa_por_hora, acepta_instant, radio_cobertura_km,
          ubicacion, fecha_creacion)
        select gen_random_uuid(), gen_random_uuid(), random() < 0.9, 'Plan', 'Prueba', 'BRONCE', 0,
          round((random() * 5)::numeric, 2), 0, 5000, random() < 0.3, (array[5, 10, 20, 50])[1 + floor(random() * 4)::int],
          extensions.st_setsrid(extensions.st_makepoint(${center.lng} + (random() - 0.5) * 2,
            ${center.lat} + (random() - 0.5) * 2), 4326)::extensions.geography, now()
        from generate_series(1, 20000)`;
      await tx`
        insert into public.busqueda_oficios (oficio_id, profesional_id, visible, ubicacion, radio_cobertura_km, nivel,
          puntos_experiencia, rating_promedio, total_resenas, tarifa_por_hora, acepta_instant)
        select ${trade.id}, profesional_id, visible, ubicacion, radio_cobertura_km, nivel, puntos_experiencia,
          rating_promedio, total_resenas, tarifa_por_hora, acepta_instant
        from public.busqueda_profesionales where nombre = 'Plan' and apellido = 'Prueba'`;
      await tx`analyze public.busqueda_profesionales, public.busqueda_oficios`;
      captured.length = 0;
      await run(tx as never, { tradeId: trade.id, center });
      const search = captured.find((c) => c.query.includes("with ordinality"));
      assert.ok(search, "the engine's page query was captured");
      const [row] = await tx.unsafe(
        `explain (analyze, format json) ${search.query}`,
        search.parameters as never[],
      );
      const plan = (row["QUERY PLAN"] as { Plan: PlanNode; "Execution Time": number }[])[0];
      // Nothing the search wrote may survive (the rollback also undoes this test's statistics).
      throw new Rollback({ all: nodes(plan.Plan), executionMs: plan["Execution Time"] });
    });
  } catch (error) {
    if (error instanceof Rollback) return error.result;
    throw error;
  } finally {
    await sql.end();
  }
}

class Rollback extends Error {
  constructor(readonly result: { all: PlanNode[]; executionMs: number }) {
    super("rollback");
  }
}

it("coverage search (GET) is an index-ordered KNN scan of the partial GiST index, no bitmap, no sort", async () => {
  const plan = await explainSearch(async (tx, { tradeId, center }) => {
    await runSearch(tx as never, queryFromGet({ oficio_id: tradeId, ...center }, 100), SEARCH_OPTIONS);
  });
  const scan = plan.all.find((n) => n["Index Name"] === "busqueda_oficios_cobertura_idx");
  assert.ok(
    scan,
    `uses the (trade, location) GiST index: ${plan.all.map((n) => n["Node Type"]).join(" > ")}`,
  );
  assert.equal(scan["Node Type"], "Index Scan");
  assert.match(scan["Order By"] ?? "", /<->/, "ordered by the index (KNN)");
  assert.ok(!plan.all.some((n) => n["Node Type"].startsWith("Bitmap")), "no bitmap scan");
  assert.ok(!plan.all.some((n) => n["Node Type"] === "Sort"), "no sort of the candidates");
  assert.ok(plan.executionMs < 50, `executes in ${plan.executionMs} ms`);
});

it("client-radius search (POST) reads the professionals' GiST index in distance order", async () => {
  const plan = await explainSearch(async (tx, { center }) => {
    const body = { latitude: center.lat, longitude: center.lng, radio_km: 20 };
    await runSearch(tx as never, queryFromPost(body, { maxLimit: 100, defaultLimit: 20 }), SEARCH_OPTIONS);
  });
  const scan = plan.all.find((n) => n["Index Name"] === "busqueda_profesionales_ubicacion_idx");
  assert.ok(scan, plan.all.map((n) => `${n["Node Type"]} ${n["Index Name"] ?? ""}`).join(" > "));
  assert.match(scan["Order By"] ?? "", /<->/);
  assert.ok(!plan.all.some((n) => n["Node Type"].startsWith("Bitmap") || n["Node Type"] === "Sort"));
});
