import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { banUser, createPro, createTrade, file, isolatedPoint, ZERO_UUID } from "./helpers.ts";

it("GET /public/professional/:id answers the C1 superset for an approved professional, no private fields", async () => {
  const trade = await createTrade();
  const pro = await createPro({
    nombre: "Bruno",
    apellido: "Sol",
    at: isolatedPoint(),
    trades: [trade.id],
    rating: 4.75,
    resenas: 8,
    tarifa: 6500,
    nivel: "PLATA",
  });
  await testSql()`update public.profesionales set payout_account = 'secreto.alias' where id = ${pro.profesionalId}`;
  const a = await api();
  const item =
    (await a.json("POST", "/professional/portfolio", { token: pro.token, body: { titulo: "Obra" } })).body;
  const form = new FormData();
  form.append("file", file("foto.jpg"));
  const uploaded = await a.fetch(`/professional/portfolio/${item.id}/image`, {
    method: "POST",
    headers: { authorization: `Bearer ${pro.token}` },
    body: form,
  });
  await uploaded.body?.cancel();
  const res = await a.json("GET", `/api/v1/public/professional/${pro.profesionalId}`, { token: "garbage" });
  assert.equal(res.status, 200);
  const body = res.body;
  assert.equal(body.id, pro.profesionalId);
  assert.deepEqual([body.nombre, body.apellido, body.nivel], ["Bruno", "Sol", "PLATA"]);
  assert.equal(body.avatar_url, null);
  assert.equal(body.radio_cobertura_km, 10);
  assert.equal(body.acepta_instant, false);
  assert.equal(body.rating_promedio, 4.75);
  assert.equal(typeof body.rating_promedio, "number");
  assert.equal(body.total_resenas, 8);
  assert.equal(body.tarifa_por_hora, 6500);
  assert.deepEqual(body.oficios.map((o: { nombre: string }) => o.nombre), [trade.nombre]);
  assert.equal(body.portfolio.length, 1);
  assert.deepEqual(body.portfolio[0].imagenes.map((i: { orden: number }) => i.orden), [0]);
  assert.deepEqual(body.resenas, []);
  assert.deepEqual(body.servicios_instantaneos, []);
  const text = JSON.stringify(body);
  for (
    const key of [
      "email",
      "estado_verificacion",
      "payout_account",
      "tasa_comision_actual",
      "latitude",
      "ubicacion",
    ]
  ) {
    assert.equal(key in body, false, key);
  }
  assert.equal(text.includes(pro.email), false);
  assert.equal(text.includes("secreto.alias"), false);
  assert.equal(text.includes("kyc_"), false);
});

it("GET /public/professional/:id: 404 unknown, 404 not approved, 404 banned, 404 malformed", async () => {
  const a = await api();
  const unknown = await a.json("GET", `/public/professional/${ZERO_UUID}`);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.detail, "Profesional no encontrado");
  for (const estado of ["PENDIENTE", "EN_REVISION", "RECHAZADO"] as const) {
    const pro = await createPro({ estado });
    const res = await a.json("GET", `/public/professional/${pro.profesionalId}`);
    assert.equal(res.status, 404, estado);
    assert.equal(res.body.detail, "Profesional no disponible");
  }
  const banned = await createPro();
  assert.equal((await a.json("GET", `/public/professional/${banned.profesionalId}`)).status, 200);
  await banUser(banned.id);
  assert.equal((await a.json("GET", `/public/professional/${banned.profesionalId}`)).status, 404);
  assert.equal((await a.json("GET", "/public/professional/123")).status, 404);
});

it("name and avatar changes on the account reach the public profile and search at once", async () => {
  const trade = await createTrade();
  const at = isolatedPoint();
  const pro = await createPro({ at, trades: [trade.id] });
  await testSql()`update public.usuarios set nombre = 'Renombrada', avatar_url = 'https://cdn.example.com/a.png'
    where id = ${pro.id}`;
  const a = await api();
  const profile = await a.json("GET", `/public/professional/${pro.profesionalId}`);
  assert.equal(profile.body.nombre, "Renombrada");
  assert.equal(profile.body.avatar_url, "https://cdn.example.com/a.png");
  const found = await a.json(
    "GET",
    `/search/professionals?oficio_id=${trade.id}&lat=${at.lat}&lng=${at.lng}`,
  );
  assert.equal(found.body[0].nombre, "Renombrada");
});

it("GET /public/professional/:id/resenas answers [] until reviews exist; 404 unknown", async () => {
  const pro = await createPro();
  const a = await api();
  const res = await a.json("GET", `/public/professional/${pro.profesionalId}/resenas`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, []);
  const unknown = await a.json("GET", `/public/professional/${ZERO_UUID}/resenas`);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.detail, "Profesional no encontrado");
});

it("the portfolio and reviews of a professional who is not approved, or is banned, are 404 like the profile", async () => {
  const a = await api();
  const pages = (
    id: string,
  ) => [`/public/professional/${id}/portfolio`, `/public/professional/${id}/resenas`];
  for (const estado of ["PENDIENTE", "EN_REVISION", "RECHAZADO"] as const) {
    const pro = await createPro({ estado });
    await a.json("POST", "/professional/portfolio", { token: pro.token, body: { titulo: "Oculto" } });
    for (const path of pages(pro.profesionalId)) {
      const res = await a.json("GET", path);
      assert.equal(res.status, 404, `${estado} ${path}`);
      assert.equal(res.body.detail, "Profesional no disponible");
    }
  }
  const banned = await createPro();
  await a.json("POST", "/professional/portfolio", { token: banned.token, body: { titulo: "Antes del ban" } });
  for (const path of pages(banned.profesionalId)) {
    assert.equal((await a.json("GET", path)).status, 200, `before the ban: ${path}`);
  }
  await banUser(banned.id);
  for (const path of pages(banned.profesionalId)) {
    const res = await a.json("GET", path);
    assert.equal(res.status, 404, `banned: ${path}`);
    assert.equal(res.body.detail, "Profesional no disponible");
  }
});
