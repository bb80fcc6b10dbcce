import assert from "node:assert/strict";
import { createApp } from "../../functions/professionals/app.ts";
import { createPlatform } from "../../shared/platform.ts";
import { it, testConfig } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { banUser, createPro, createTrade, east, isolatedPoint, ZERO_UUID } from "./helpers.ts";

type Item = { id: string; distancia_km: number | null; nivel: string; [k: string]: unknown };
const ids = (items: Item[]) => items.map((i) => i.id);

function getSearch(q: Record<string, string | number | boolean>) {
  const params = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
  return api().then((a) => a.json("GET", `/api/v1/search/professionals?${params}`));
}

it("GET /search/professionals: a professional is found only where their own coverage radius reaches", async () => {
  const trade = await createTrade();
  const p = isolatedPoint();
  const near = await createPro({ at: east(p, 3), radio: 5, trades: [trade.id] });
  const far = await createPro({ at: east(p, 20), radio: 10, trades: [trade.id] }); // 20 km away, covers 10
  const wide = await createPro({ at: east(p, 40), radio: 50, trades: [trade.id] }); // 40 km away, covers 50
  const res = await getSearch({ oficio_id: trade.id, lat: p.lat, lng: p.lng });
  assert.equal(res.status, 200);
  assert.ok(Array.isArray(res.body));
  assert.deepEqual(ids(res.body), [near.profesionalId, wide.profesionalId]);
  assert.ok(!ids(res.body).includes(far.profesionalId));
  const [first] = res.body;
  for (const key of ["id", "nombre", "apellido", "nivel", "radio_cobertura_km", "distancia_km"]) {
    assert.ok(key in first, key);
  }
  for (const key of ["email", "estado_verificacion", "payout_account", "latitude", "tasa_comision_actual"]) {
    assert.equal(key in first, false, `${key} must not be public`);
  }
  assert.ok(Math.abs(first.distancia_km - 3) < 0.1, String(first.distancia_km));
  // From 16 km east of the point, the far one (4 km away) now covers it too, and is nearest.
  const moved = await getSearch({ oficio_id: trade.id, ...east(p, 16) });
  assert.equal(moved.body[0].id, far.profesionalId);
});

it("GET /search/professionals: unknown trade → [], exact nivel and acepta_instant filters", async () => {
  const trade = await createTrade();
  const p = isolatedPoint();
  const oro = await createPro({ at: east(p, 1), trades: [trade.id], nivel: "ORO", instant: true });
  const bronce = await createPro({ at: east(p, 2), trades: [trade.id], nivel: "BRONCE", instant: false });
  assert.deepEqual((await getSearch({ oficio_id: ZERO_UUID, lat: p.lat, lng: p.lng })).body, []);
  assert.deepEqual(ids((await getSearch({ oficio_id: trade.id, ...p, nivel: "ORO" })).body), [
    oro.profesionalId,
  ]);
  assert.deepEqual((await getSearch({ oficio_id: trade.id, ...p, nivel: "DIAMANTE" })).body, []);
  assert.deepEqual(ids((await getSearch({ oficio_id: trade.id, ...p, acepta_instant: "true" })).body), [
    oro.profesionalId,
  ]);
  assert.deepEqual(ids((await getSearch({ oficio_id: trade.id, ...p, acepta_instant: "false" })).body), [
    bronce.profesionalId,
  ]);
  assert.deepEqual(ids((await getSearch({ oficio_id: trade.id, ...p, acepta_instant: "0" })).body), [
    bronce.profesionalId,
  ]);
});

it("GET /search/professionals: every sort order", async () => {
  const trade = await createTrade();
  const p = isolatedPoint();
  const a = await createPro({
    at: east(p, 1),
    trades: [trade.id],
    nivel: "BRONCE",
    rating: 3.5,
    tarifa: 9000,
  });
  const b = await createPro({
    at: east(p, 2),
    trades: [trade.id],
    nivel: "DIAMANTE",
    rating: 4.9,
    tarifa: 3000,
  });
  const c = await createPro({
    at: east(p, 3),
    trades: [trade.id],
    nivel: "PLATA",
    rating: 4.2,
    tarifa: null,
  });
  const sorted = async (sort_by?: string) =>
    ids((await getSearch({ oficio_id: trade.id, ...p, ...(sort_by ? { sort_by } : {}) })).body);
  assert.deepEqual(await sorted(), [a, b, c].map((x) => x.profesionalId));
  assert.deepEqual(await sorted("distancia"), [a, b, c].map((x) => x.profesionalId));
  assert.deepEqual(await sorted("nivel"), [b, c, a].map((x) => x.profesionalId));
  assert.deepEqual(await sorted("rating"), [b, c, a].map((x) => x.profesionalId));
  assert.deepEqual(await sorted("precio"), [b, a, c].map((x) => x.profesionalId));
  assert.deepEqual(await sorted("whatever"), [a, b, c].map((x) => x.profesionalId), "unknown → default");
});

it("unapproved, rejected, banned and located-nowhere professionals never appear", async () => {
  const trade = await createTrade();
  const p = isolatedPoint();
  const ok = await createPro({ at: east(p, 1), trades: [trade.id] });
  await createPro({ at: east(p, 1), trades: [trade.id], estado: "PENDIENTE" });
  await createPro({ at: east(p, 1), trades: [trade.id], estado: "EN_REVISION" });
  await createPro({ at: east(p, 1), trades: [trade.id], estado: "RECHAZADO" });
  const nowhere = await createPro({ at: null, trades: [trade.id] });
  const banned = await createPro({ at: east(p, 1), trades: [trade.id] });
  await banUser(banned.id);
  assert.deepEqual(ids((await getSearch({ oficio_id: trade.id, ...p })).body), [ok.profesionalId]);
  const near = await (await api()).json("POST", "/search", {
    body: { oficio: trade.nombre, latitude: p.lat, longitude: p.lng },
  });
  assert.deepEqual(ids(near.body.resultados), [ok.profesionalId]);
  // Without coordinates there is no distance to apply: a professional without a location is listed.
  const post = await (await api()).json("POST", "/search", {
    body: { oficio: trade.nombre, ordenar_por: "precio" },
  });
  assert.deepEqual(ids(post.body.resultados).sort(), [ok.profesionalId, nowhere.profesionalId].sort());
  assert.equal(post.body.total, 2);
});

it("GET /search/professionals: 422 on missing or bad parameters; a garbage token is ignored", async () => {
  const trade = await createTrade();
  const a = await api();
  for (
    const q of [
      `lat=1&lng=1`,
      `oficio_id=${trade.id}&lng=1`,
      `oficio_id=abc&lat=1&lng=1`,
      `oficio_id=${trade.id}&lat=91&lng=1`,
      `oficio_id=${trade.id}&lat=1&lng=x`,
      `oficio_id=${trade.id}&lat=1&lng=1&nivel=PLATINO`,
      `oficio_id=${trade.id}&lat=1&lng=1&acepta_instant=quizas`,
    ]
  ) {
    assert.equal((await a.json("GET", `/search/professionals?${q}`)).status, 422, q);
  }
  const res = await a.json("GET", `/search/professionals?oficio_id=${trade.id}&lat=1&lng=1`, {
    token: "garbage",
  });
  assert.equal(res.status, 200);
  const post = await a.json("POST", "/search", { body: {}, token: "garbage" });
  assert.equal(post.status, 200);
});

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
  const platform = createPlatform(testConfig({ SEARCH_COUNT_CAP: "10" }), "professionals");
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
    // Dense area + non-distance sort: read in rating order, filter by distance — same answer.
    body = await post({ ordenar_por: "rating", limit: 12 });
    const ratings = body.resultados.map((r: { calificacion_promedio: number }) => r.calificacion_promedio);
    assert.equal(ratings.length, 12);
    assert.deepEqual(ratings, [...ratings].sort((x: number, y: number) => y - x));
  } finally {
    await platform.close();
  }
});

it("search follows the catalog: a deactivated trade finds nobody, reactivated it finds them again", async () => {
  const trade = await createTrade();
  const p = isolatedPoint();
  const pro = await createPro({ at: east(p, 1), trades: [trade.id] });
  const sql = (await import("../support/accounts.ts")).testSql();
  await sql`update public.oficios set activo = false where id = ${trade.id}`;
  assert.deepEqual((await getSearch({ oficio_id: trade.id, ...p })).body, []);
  await sql`update public.oficios set activo = true where id = ${trade.id}`;
  assert.deepEqual(ids((await getSearch({ oficio_id: trade.id, ...p })).body), [pro.profesionalId]);
});

it("profile changes reach search in the same transaction (radius, location, approval)", async () => {
  const trade = await createTrade();
  const p = isolatedPoint();
  const pro = await createPro({ at: east(p, 8), radio: 5, trades: [trade.id], estado: "PENDIENTE" });
  const a = await api();
  assert.deepEqual((await getSearch({ oficio_id: trade.id, ...p })).body, []);
  const sql = (await import("../support/accounts.ts")).testSql();
  await sql`update public.profesionales set estado_verificacion = 'APROBADO' where id = ${pro.profesionalId}`;
  assert.deepEqual((await getSearch({ oficio_id: trade.id, ...p })).body, [], "8 km away, covers 5");
  await a.json("PUT", "/professional/profile", { token: pro.token, body: { radio_cobertura_km: 10 } });
  assert.deepEqual(ids((await getSearch({ oficio_id: trade.id, ...p })).body), [pro.profesionalId]);
  const far = east(p, 200);
  await a.json("PUT", "/professional/profile/location", {
    token: pro.token,
    body: { latitude: far.lat, longitude: far.lng },
  });
  assert.deepEqual((await getSearch({ oficio_id: trade.id, ...p })).body, []);
});
