import assert from "node:assert/strict";
import { createApp } from "../../functions/professionals/app.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { createPro, createTrade, east, isolatedPoint } from "./helpers.ts";
import { testPlatform } from "../support/platform.ts";

type Item = { id: string; distancia_km: number | null; nivel: string; [k: string]: unknown };
const ids = (items: Item[]) => items.map((i) => i.id);

it("POST /search: client radius, distance order and the paginated envelope", async () => {
  const trade = await createTrade();
  const p = isolatedPoint();
  const pros = [];
  for (const km of [1, 2, 3, 4, 5, 6, 7]) {
    pros.push(await createPro({ at: east(p, km), trades: [trade.id], radio: 1 }));
  }
  await createPro({ at: east(p, 30), trades: [trade.id], radio: 500 }); // outside the client's 10 km
  const a = await api();
  const search = (body: Record<string, unknown>) =>
    a.json("POST", "/api/v1/search", {
      body: { latitude: p.lat, longitude: p.lng, oficio: trade.nombre, ...body },
    });
  let res = await search({ limit: 3 });
  assert.equal(res.status, 200);
  assert.equal(res.body.total, 7);
  assert.equal(res.body.pagina, 1);
  assert.equal(res.body.total_paginas, 3);
  assert.deepEqual(ids(res.body.resultados), pros.slice(0, 3).map((x) => x.profesionalId));
  const item = res.body.resultados[0];
  assert.equal(item.oficio, trade.nombre);
  for (
    const key of [
      "calificacion_promedio",
      "cantidad_resenas",
      "nivel_profesional",
      "puntos_experiencia",
      "avatar_url",
    ]
  ) {
    assert.ok(key in item, key);
  }
  assert.equal(typeof item.calificacion_promedio, "number");
  assert.equal("email" in item, false);
  res = await search({ limit: 3, skip: 6 });
  assert.equal(res.body.pagina, 3);
  assert.deepEqual(ids(res.body.resultados), [pros[6].profesionalId]);
  assert.equal(res.body.total, 7);
  res = await search({ radio_km: 3.5 });
  assert.equal(res.body.total, 3);
  res = await search({ radio_km: 50 });
  assert.equal(res.body.total, 8);
  res = await search({ incluir_fuera_de_radio: true });
  assert.equal(res.body.total, 8);
});

it("POST /search: filters (rating, price, level, availability, text, trade by id) and sorts", async () => {
  const trade = await createTrade();
  const p = isolatedPoint();
  const apellido = `Zeta${crypto.randomUUID().slice(0, 6)}`;
  const a = await createPro({
    at: east(p, 1),
    trades: [trade.id],
    rating: 4.8,
    tarifa: 8000,
    nivel: "ORO",
    instant: true,
  });
  const b = await createPro({
    at: east(p, 2),
    trades: [trade.id],
    rating: 3.1,
    tarifa: 2000,
    nivel: "PLATA",
    apellido,
  });
  const c = await createPro({
    at: east(p, 3),
    trades: [trade.id],
    rating: 4.1,
    tarifa: 5000,
    nivel: "BRONCE",
  });
  const client = await api();
  const search = async (body: Record<string, unknown>) =>
    ids(
      (await client.json("POST", "/search", {
        body: { latitude: p.lat, longitude: p.lng, oficio_id: trade.id, ...body },
      }))
        .body.resultados,
    );
  const [A, B, C] = [a, b, c].map((x) => x.profesionalId);
  assert.deepEqual(await search({}), [A, B, C]);
  assert.deepEqual(await search({ rating_minimo: 4 }), [A, C]);
  assert.deepEqual(await search({ precio_minimo: 3000, precio_maximo: 6000 }), [C]);
  assert.deepEqual(await search({ precio_maximo: 0 }), [A, B, C], "0 = no filter, as the original");
  assert.deepEqual(await search({ nivel: "PLATA" }), [B]);
  assert.deepEqual(await search({ disponible: true }), [A]);
  assert.deepEqual(await search({ disponible: false }), [A, B, C], "false = no filter (frontend default)");
  assert.deepEqual(await search({ q: apellido.toLowerCase() }), [B]);
  assert.deepEqual(await search({ ordenar_por: "rating" }), [A, C, B]);
  assert.deepEqual(await search({ ordenar_por: "precio" }), [B, C, A]);
  assert.deepEqual(await search({ ordenar_por: "nivel" }), [A, B, C]);
  assert.deepEqual(await search({ ordenar_por: "distancia" }), [A, B, C]);
  const byName = await client.json("POST", "/search", {
    body: { oficio: trade.nombre.toUpperCase(), ordenar_por: "rating" },
  });
  assert.deepEqual(ids(byName.body.resultados), [A, C, B]);
  const unknown = await client.json("POST", "/search", { body: { oficio: "no existe ningún oficio así" } });
  assert.deepEqual(unknown.body, {
    total: 0,
    resultados: [],
    pagina: 1,
    total_paginas: 0,
    total_exacto: true,
    skip: 0,
    limit: 20,
  });
});

it("POST /search without coordinates and with disponible:false lists approved professionals by rating", async () => {
  const trade = await createTrade();
  const top = await createPro({ trades: [trade.id], rating: 5, resenas: 10, at: null });
  const res = await (await api()).json("POST", "/search", {
    body: { disponible: false, skip: 0, limit: 100 },
  });
  assert.equal(res.status, 200);
  assert.ok(res.body.total >= 1);
  const ratings = res.body.resultados.map((r: { calificacion_promedio: number }) => r.calificacion_promedio);
  assert.deepEqual(ratings, [...ratings].sort((x: number, y: number) => y - x));
  const mine = res.body.resultados.find((r: Item) => r.id === top.profesionalId);
  if (mine) assert.equal(mine.distancia_km, null);
});

it("POST /search: 422 on bad bodies; limit is capped", async () => {
  const a = await api();
  for (
    const body of [
      { latitude: 10 },
      { latitude: 100, longitude: 0 },
      { radio_km: 0, latitude: 1, longitude: 1 },
      { rating_minimo: 6 },
      { skip: -1 },
      { limit: 0 },
      { limit: 5000 },
      { nivel: "X" },
      { disponible: "si" },
    ]
  ) {
    assert.equal((await a.json("POST", "/search", { body })).status, 422, JSON.stringify(body));
  }
  const capped = await a.json("POST", "/search", { body: { limit: 1000 } });
  assert.equal(capped.status, 200);
  assert.equal(capped.body.limit, 100);
  assert.ok(capped.body.resultados.length <= 100);
  const nulls = await a.json("POST", "/search", {
    body: { latitude: null, longitude: null, oficio: "", rating_minimo: null, ordenar_por: null },
  });
  assert.equal(nulls.status, 200);
});

it("POST /search counts up to SEARCH_COUNT_CAP and says when the total is not exact", async () => {
  const platform = testPlatform("professionals", { SEARCH_COUNT_CAP: "10", SEARCH_DENSE_MATCHES: "10" });
  try {
    const app = createApp(platform);
    const trade = await createTrade();
    const p = isolatedPoint();
    for (let i = 0; i < 12; i++) {
      await createPro({ at: east(p, 0.1 * (i + 1)), trades: [trade.id], rating: i % 5 });
    }
    const post = async (body: Record<string, unknown>) =>
      await (await app.request("/professionals/search", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ latitude: p.lat, longitude: p.lng, oficio_id: trade.id, limit: 5, ...body }),
      })).json();
    let body = await post({});
    assert.equal(body.total, 10);
    assert.equal(body.total_exacto, false);
    // The count window starts at the requested page: from the second page on, all 12 are counted.
    body = await post({ skip: 5 });
    assert.equal(body.total, 12);
    assert.equal(body.total_exacto, true);
    assert.equal(body.total_paginas, 3);
    // Dense area + non-distance sort: read in rating order, filter by distance — same answer.
    body = await post({ ordenar_por: "rating", limit: 12 });
    const ratings = body.resultados.map((r: { calificacion_promedio: number }) => r.calificacion_promedio);
    assert.equal(ratings.length, 12);
    assert.deepEqual(ratings, [...ratings].sort((x: number, y: number) => y - x));
  } finally {
    await platform.close();
  }
});

it("POST /search filtered by a trade reports in `oficio` the trade that matched, not the first one", async () => {
  const key = `Rubro${crypto.randomUUID().slice(0, 8)}`;
  const first = await createTrade(`Aaa ${crypto.randomUUID().slice(0, 8)}`); // sorts first, never matches
  const beta = await createTrade(`${key} Beta`);
  const gamma = await createTrade(`${key} Gamma`);
  const p = isolatedPoint();
  const one = await createPro({ at: east(p, 1), trades: [first.id, gamma.id] });
  const two = await createPro({ at: east(p, 2), trades: [beta.id, gamma.id, first.id] });
  const a = await api();
  const oficioOf = async (body: Record<string, unknown>) => {
    const res = await a.json("POST", "/search", { body: { latitude: p.lat, longitude: p.lng, ...body } });
    assert.equal(res.status, 200);
    return Object.fromEntries(res.body.resultados.map((r: Item) => [r.id, r.oficio]));
  };
  // A name that matches two trades: each row reports its own matching trade.
  assert.deepEqual(await oficioOf({ oficio: key.toLowerCase() }), {
    [one.profesionalId]: gamma.nombre,
    [two.profesionalId]: beta.nombre,
  });
  // One trade (by id, by exact name): that trade, whatever else the professional offers.
  assert.deepEqual(await oficioOf({ oficio_id: gamma.id }), {
    [one.profesionalId]: gamma.nombre,
    [two.profesionalId]: gamma.nombre,
  });
  assert.deepEqual(await oficioOf({ oficio: first.nombre }), {
    [one.profesionalId]: first.nombre,
    [two.profesionalId]: first.nombre,
  });
});
