import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { createApp } from "../../functions/professionals/app.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { banUser, createPro, createTrade, east, isolatedPoint, ZERO_UUID } from "./helpers.ts";
import { testPlatform } from "../support/platform.ts";

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
  // Rates, so that the price sort below lists them (it leaves out professionals without one).
  const ok = await createPro({ at: east(p, 1), trades: [trade.id], tarifa: 5000 });
  await createPro({ at: east(p, 1), trades: [trade.id], estado: "PENDIENTE" });
  await createPro({ at: east(p, 1), trades: [trade.id], estado: "EN_REVISION" });
  await createPro({ at: east(p, 1), trades: [trade.id], estado: "RECHAZADO" });
  const nowhere = await createPro({ at: null, trades: [trade.id], tarifa: 6000 });
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

it("search follows the catalog: a deactivated trade finds nobody, reactivated it finds them again", async () => {
  const trade = await createTrade();
  const p = isolatedPoint();
  const pro = await createPro({ at: east(p, 1), trades: [trade.id] });
  const sql = testSql();
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
  const sql = testSql();
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

it("search radii are the spheroid's to the metre, also where the sphere would answer otherwise", async () => {
  // At the equator, 10 km east is ~11 m longer on the spheroid than on the sphere, and 10 km
  // north ~56 m shorter: a professional 10 005 m east is outside (the sphere says 9 994 m), one
  // 9 995 m north is inside (the sphere says 10 051 m).
  const trade = await createTrade();
  const p = { lat: 0, lng: -20 - Math.random() * 10 };
  const eastOut = { lat: 0, lng: p.lng + 10_005 / 111_319.49 };
  const northIn = { lat: 9_995 / 110_574.4, lng: p.lng };
  const sql = testSql();
  const geo = (q: { lat: number; lng: number }) =>
    sql`extensions.st_setsrid(extensions.st_makepoint(${q.lng}, ${q.lat}), 4326)::extensions.geography`;
  const [d] = await sql`select
    extensions.st_distance(${geo(p)}, ${geo(eastOut)}) as east_spheroid,
    extensions.st_distance(${geo(p)}, ${geo(eastOut)}, false) as east_sphere,
    extensions.st_distance(${geo(p)}, ${geo(northIn)}) as north_spheroid,
    extensions.st_distance(${geo(p)}, ${geo(northIn)}, false) as north_sphere`;
  assert.ok(d.east_spheroid > 10_000 && d.east_sphere < 10_000, JSON.stringify(d));
  assert.ok(d.north_spheroid < 10_000 && d.north_sphere > 10_000, JSON.stringify(d));
  await createPro({ at: eastOut, radio: 10, trades: [trade.id], rating: 5 });
  const inside = await createPro({ at: northIn, radio: 10, trades: [trade.id], rating: 5 });
  // Ten more nearby, lower rated: enough for the dense-area plan below.
  const near = [];
  for (let i = 0; i < 10; i++) near.push(await createPro({ at: east(p, 1), radio: 10, trades: [trade.id] }));
  const nearIds = near.map((x) => x.profesionalId).sort();
  const found = (items: Item[]) => new Set(ids(items));
  const expected = new Set([inside.profesionalId, ...nearIds]);

  const coverage = await getSearch({ oficio_id: trade.id, lat: p.lat, lng: p.lng });
  assert.deepEqual(found(coverage.body), expected);
  assert.equal(coverage.body.at(-1).id, inside.profesionalId, "the farthest comes last");
  const body = { latitude: p.lat, longitude: p.lng, radio_km: 10, oficio_id: trade.id };
  const client = await (await api()).json("POST", "/search", { body });
  assert.deepEqual(found(client.body.resultados), expected);
  assert.equal(client.body.total, 11);
  // Sorted by rating in a "dense" area (read in rating order, distances as a filter): same rows.
  const platform = testPlatform("professionals", { SEARCH_DENSE_MATCHES: "10" });
  try {
    const response = await createApp(platform).request("/professionals/search", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...body, ordenar_por: "rating" }),
    });
    const dense = await response.json();
    assert.deepEqual(found(dense.resultados), expected);
    assert.equal(dense.resultados[0].id, inside.profesionalId, "the best rated comes first");
  } finally {
    await platform.close();
  }
});
