import assert from "node:assert/strict";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { createPro, createTrade, east, isolatedPoint } from "./helpers.ts";

// The original's integration client (a second existing client) reads the later version's names:
// `rating_promedio`, `precio_por_hora`, `oficio_principal`, `oficio_principal_id` (API.md rule 6).

type Result = { id: string; [key: string]: unknown };

async function fixture() {
  const tag = crypto.randomUUID().slice(0, 8);
  const main = await createTrade(`Aaa principal ${tag}`);
  const second = await createTrade(`Zzz segundo ${tag}`);
  const p = isolatedPoint();
  const pricey = await createPro({
    at: east(p, 1),
    trades: [second.id, main.id],
    rating: 4.5,
    resenas: 4,
    tarifa: 7000,
  });
  const unpriced = await createPro({
    at: east(p, 2),
    trades: [main.id],
    rating: 4.9,
    resenas: 9,
    tarifa: null,
  });
  const cheap = await createPro({ at: east(p, 3), trades: [main.id], rating: 3, resenas: 1, tarifa: 3000.5 });
  return { main, second, p, pricey, unpriced, cheap };
}

it("POST /search results carry rating_promedio and precio_por_hora (numbers, aliases of the frontend's)", async () => {
  const { main, p, pricey, unpriced, cheap } = await fixture();
  const res = await (await api()).json("POST", "/api/v1/search", {
    body: { latitude: p.lat, longitude: p.lng, oficio_id: main.id },
  });
  assert.equal(res.status, 200);
  const byId = new Map(res.body.resultados.map((r: Result) => [r.id, r]));
  const expected: [string, number, number | null][] = [
    [pricey.profesionalId, 4.5, 7000],
    [unpriced.profesionalId, 4.9, null],
    [cheap.profesionalId, 3, 3000.5],
  ];
  for (const [id, rating, price] of expected) {
    const r = byId.get(id) as Result;
    assert.ok(r, id);
    assert.equal(r.rating_promedio, rating);
    assert.equal(r.rating_promedio, r.calificacion_promedio);
    assert.equal(r.precio_por_hora, price);
    assert.equal(r.precio_por_hora, r.tarifa_por_hora);
  }
});

it("POST /search ordenar_por precio leaves out professionals without a price; rating sorts descending", async () => {
  const { main, p, pricey, unpriced, cheap } = await fixture();
  const a = await api();
  const search = async (ordenar_por: string) =>
    (await a.json("POST", "/search", {
      body: { latitude: p.lat, longitude: p.lng, oficio_id: main.id, ordenar_por },
    })).body;
  const byPrice = await search("precio");
  assert.deepEqual(byPrice.resultados.map((r: Result) => r.id), [cheap.profesionalId, pricey.profesionalId]);
  assert.equal(byPrice.total, 2);
  assert.ok(byPrice.resultados.every((r: Result) => typeof r.precio_por_hora === "number"));
  const byRating = await search("rating");
  assert.deepEqual(
    byRating.resultados.map((r: Result) => r.id),
    [unpriced.profesionalId, pricey.profesionalId, cheap.profesionalId],
  );
  // Without a point too (another read path).
  const anywhere = await a.json("POST", "/search", { body: { oficio_id: main.id, ordenar_por: "precio" } });
  assert.deepEqual(anywhere.body.resultados.map((r: Result) => r.id), [
    cheap.profesionalId,
    pricey.profesionalId,
  ]);
});

it("GET /public/professional/{id} has oficio_principal ({id, nombre}: the first trade) beside oficios", async () => {
  const { main, second, pricey } = await fixture();
  const a = await api();
  const res = await a.json("GET", `/api/v1/public/professional/${pricey.profesionalId}`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.oficios.map((o: { id: string }) => o.id), [main.id, second.id]);
  assert.deepEqual(res.body.oficio_principal, { id: main.id, nombre: main.nombre });
  const bare = await createPro();
  assert.equal(
    (await a.json("GET", `/public/professional/${bare.profesionalId}`)).body.oficio_principal,
    null,
  );
});

it("GET /professional/me has oficio_principal_id and rating_promedio (a number)", async () => {
  const { main, pricey } = await fixture();
  const a = await api();
  const res = await a.json("GET", "/api/v1/professional/me", { token: pricey.token });
  assert.equal(res.status, 200);
  assert.equal(res.body.oficio_principal_id, main.id);
  assert.equal(res.body.rating_promedio, 4.5);
  const bare = await createPro();
  const none = await a.json("GET", "/professional/me", { token: bare.token });
  assert.equal(none.body.oficio_principal_id, null);
  assert.equal(none.body.rating_promedio, 0);
});

it("/openapi.json documents the integration client's names in the response schemas", async () => {
  const { body } = await (await api()).json("GET", "/openapi.json");
  const schemas = body.components.schemas;
  for (
    const [schema, field] of [
      ["SearchResult", "rating_promedio"],
      ["SearchResult", "precio_por_hora"],
      ["PublicProfileRead", "oficio_principal"],
      ["PublicProfileRead", "oficios"],
      ["ProfessionalProfileRead", "oficio_principal_id"],
      ["ProfessionalProfileRead", "rating_promedio"],
    ]
  ) {
    const property = schemas[schema]?.properties?.[field];
    assert.ok(property, `${schema}.${field}`);
    assert.ok(schemas[schema].required?.includes(field), `${schema}.${field} is always there`);
  }
  assert.match(schemas.SearchResult.properties.precio_por_hora.description, /tarifa_por_hora/);
});
