import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { createPro, createTrade, ZERO_UUID } from "./helpers.ts";

it("GET /professional/me returns a fresh profile with the contract's defaults, money as numbers", async () => {
  const pro = await createAccount("PROFESIONAL", { nombre: "Ana", apellido: "Paz" });
  const { status, body } = await (await api()).json("GET", "/api/v1/professional/me", { token: pro.token });
  assert.equal(status, 200);
  assert.equal(body.id, pro.profesionalId);
  assert.equal(body.usuario_id, pro.id);
  assert.equal(body.nombre, "Ana");
  assert.equal(body.email, pro.email);
  assert.equal(body.estado_verificacion, "PENDIENTE");
  assert.equal(body.nivel, "BRONCE");
  assert.equal(body.radio_cobertura_km, 10);
  assert.equal(body.acepta_instant, false);
  assert.equal(body.tarifa_por_hora, null);
  assert.equal(body.tasa_comision_actual, 0.2);
  assert.equal(body.rating_promedio, 0);
  assert.equal(body.total_resenas, 0);
  assert.equal(body.puntos_experiencia, 0);
  assert.equal(body.payout_account, null);
  assert.equal(body.latitude, null);
  assert.deepEqual(body.oficios, []);
  assert.equal("password_hash" in body, false);
});

it("/professional/* answers 401 without a token and 403 for other roles", async () => {
  const client = await createAccount("CLIENTE");
  const admin = await createAccount("ADMIN");
  const a = await api();
  const routes: [string, string, unknown?][] = [
    ["GET", "/professional/me"],
    ["PUT", "/professional/profile", { acepta_instant: true }],
    ["PUT", "/professional/me", { acepta_instant: true }],
    ["PUT", "/professional/profile/location", { latitude: 1, longitude: 1 }],
    ["PUT", "/professional/profile/oficios", { oficio_ids: [] }],
    ["PUT", "/professional/profile/servicios-instant", { servicio_ids: [] }],
    ["GET", "/professional/oficios"],
    ["PUT", "/professional/payout-info", { payout_account: "alias.pago" }],
    ["PUT", "/professional/payout", { payout_account: "alias.pago" }],
  ];
  for (const [method, path, body] of routes) {
    assert.equal((await a.json(method, path, { body })).status, 401, `${method} ${path} without token`);
    const wrong = await a.json(method, path, { body, token: "garbage" });
    assert.equal(wrong.status, 401, `${method} ${path} with a bad token`);
    for (const other of [client, admin]) {
      const res = await a.json(method, path, { body, token: other.token });
      assert.equal(res.status, 403, `${method} ${path} as ${other.rol}`);
      assert.equal(res.body.detail, "No tenés permisos de profesional");
    }
  }
});

it("a PROFESIONAL account without a profile gets 404", async () => {
  const [user] = await testSql()`select * from public.create_usuario(
    ${`sin-perfil-${crypto.randomUUID().slice(0, 8)}@example.com`}, 'Sin', 'Perfil', 'PROFESIONAL')`;
  const { signTestToken } = await import("../support/tokens.ts");
  const token = await signTestToken({ sub: user.id, rol: "PROFESIONAL", email: user.email });
  const res = await (await api()).json("GET", "/professional/me", { token });
  assert.equal(res.status, 404);
  assert.equal(res.body.detail, "Perfil profesional no encontrado");
});

it("PUT /professional/profile changes only the keys sent; null clears the rate", async () => {
  const pro = await createAccount("PROFESIONAL");
  const a = await api();
  let res = await a.json("PUT", "/professional/profile", {
    token: pro.token,
    body: { radio_cobertura_km: 25, acepta_instant: true, tarifa_por_hora: 5000 },
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.radio_cobertura_km, 25);
  assert.equal(res.body.tarifa_por_hora, 5000);
  res = await a.json("PUT", "/professional/profile", { token: pro.token, body: { tarifa_por_hora: 4500.5 } });
  assert.equal(res.body.radio_cobertura_km, 25);
  assert.equal(res.body.acepta_instant, true);
  assert.equal(res.body.tarifa_por_hora, 4500.5);
  // A rate finer than a cent is rounded to it (numeric(12, 2)), as the monolith's Decimal was.
  res = await a.json("PUT", "/professional/profile", {
    token: pro.token,
    body: { tarifa_por_hora: "1500.555" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.tarifa_por_hora, 1500.56);
  res = await a.json("PUT", "/professional/profile", { token: pro.token, body: { tarifa_por_hora: 2.675 } });
  assert.equal(res.body.tarifa_por_hora, 2.68, "decimal rounding, not the double's 2.67499…");
  res = await a.json("PUT", "/professional/profile", { token: pro.token, body: { tarifa_por_hora: null } });
  assert.equal(res.body.tarifa_por_hora, null);
  const read = await a.json("GET", "/professional/me", { token: pro.token });
  assert.equal(read.body.radio_cobertura_km, 25);
  assert.equal(read.body.tarifa_por_hora, null);
});

it("PUT /professional/profile refuses out-of-range values with 422 and changes nothing", async () => {
  const pro = await createAccount("PROFESIONAL");
  const a = await api();
  for (
    const body of [
      { radio_cobertura_km: 0 },
      { radio_cobertura_km: 501 },
      { radio_cobertura_km: 2.5 },
      { radio_cobertura_km: null },
      { acepta_instant: null },
      { acepta_instant: "yes" },
      { tarifa_por_hora: -1 },
      { tarifa_por_hora: 1e12 },
    ]
  ) {
    const res = await a.json("PUT", "/professional/profile", { token: pro.token, body });
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.equal(typeof res.body.detail, "string");
  }
  const malformed = await a.json("PUT", "/professional/profile", { token: pro.token, body: "{not json" });
  assert.equal(malformed.status, 422);
  const read = await a.json("GET", "/professional/me", { token: pro.token });
  assert.equal(read.body.radio_cobertura_km, 10);
  assert.equal(read.body.acepta_instant, false);
});

it("PUT /professional/profile/location stores the point; GET /professional/me reads it back", async () => {
  const pro = await createAccount("PROFESIONAL");
  const a = await api();
  const res = await a.json("PUT", "/professional/profile/location", {
    token: pro.token,
    body: { latitude: -34.6037, longitude: -58.3816 },
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.latitude, -34.6037);
  assert.equal(res.body.longitude, -58.3816);
  const [row] = await testSql()`select extensions.st_astext(ubicacion::extensions.geometry) as wkt
    from public.profesionales where id = ${pro.profesionalId!}`;
  assert.equal(row.wkt, "POINT(-58.3816 -34.6037)");
  for (const body of [{ latitude: 91, longitude: 0 }, { latitude: 0, longitude: -181 }, { latitude: 1 }]) {
    assert.equal(
      (await a.json("PUT", "/professional/profile/location", { token: pro.token, body })).status,
      422,
    );
  }
});

it("PUT /professional/profile/oficios replaces the set; an unknown id → 404 and nothing changes", async () => {
  const pro = await createAccount("PROFESIONAL");
  const [t1, t2, t3] = [await createTrade(), await createTrade(), await createTrade()];
  const a = await api();
  let res = await a.json("PUT", "/professional/profile/oficios", {
    token: pro.token,
    body: { oficio_ids: [t1.id, t2.id] },
  });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.map((o: { id: string }) => o.id).sort(), [t1.id, t2.id].sort());
  assert.equal(typeof res.body[0].descripcion, "string");
  res = await a.json("PUT", "/professional/profile/oficios", {
    token: pro.token,
    body: { oficio_ids: [t3.id, ZERO_UUID] },
  });
  assert.equal(res.status, 404);
  assert.equal(res.body.detail, `Oficios no encontrados: ['${ZERO_UUID}']`);
  res = await a.json("GET", "/professional/oficios", { token: pro.token });
  assert.deepEqual(res.body.map((o: { id: string }) => o.id).sort(), [t1.id, t2.id].sort());
  res = await a.json("PUT", "/professional/profile/oficios", {
    token: pro.token,
    body: { oficio_ids: [t3.id, t3.id] },
  });
  assert.deepEqual(res.body.map((o: { id: string }) => o.id), [t3.id]);
  res = await a.json("PUT", "/professional/profile/oficios", { token: pro.token, body: { oficio_ids: [] } });
  assert.deepEqual(res.body, []);
  res = await a.json("PUT", "/professional/profile/oficios", {
    token: pro.token,
    body: { oficio_ids: ["abc"] },
  });
  assert.equal(res.status, 422);
  res = await a.json("PUT", "/professional/profile/oficios", { token: pro.token, body: {} });
  assert.equal(res.status, 422);
});

it("PUT /professional/me accepts every body shape the frontend sends (compatibility C10)", async () => {
  const pro = await createAccount("PROFESIONAL");
  const [t1, t2] = [await createTrade(), await createTrade()];
  const a = await api();
  const put = (body: unknown) => a.json("PUT", "/professional/me", { token: pro.token, body });
  assert.equal((await put({ tarifa_por_hora: 7000 })).body.tarifa_por_hora, 7000);
  assert.equal((await put({ radio_cobertura_km: 30 })).body.radio_cobertura_km, 30);
  assert.equal((await put({ acepta_instant: true })).body.acepta_instant, true);
  let res = await put({ latitude: -34.6, longitude: -58.4 });
  assert.deepEqual([res.body.latitude, res.body.longitude], [-34.6, -58.4]);
  res = await put({ ubicacion_lat: -31.4, ubicacion_lon: -64.2, biografia: "Hola", experiencia_anos: 5 });
  assert.deepEqual([res.body.latitude, res.body.longitude], [-31.4, -64.2]);
  res = await put({ latitud: -32.9, longitud: -60.6 });
  assert.deepEqual([res.body.latitude, res.body.longitude], [-32.9, -60.6]);
  res = await put({ oficios_ids: { oficio_ids: [t1.id] } });
  assert.deepEqual(res.body.oficios.map((o: { id: string }) => o.id), [t1.id]);
  res = await put({ oficios_ids: [t2.id], disponible: true, habilidades: ["x"] });
  assert.deepEqual(res.body.oficios.map((o: { id: string }) => o.id), [t2.id]);
  res = await put({ oficio_ids: [t1.id, t2.id] });
  assert.equal(res.body.oficios.length, 2);
  res = await put({ payout_account: "mi.alias.mp" });
  assert.equal(res.body.payout_account, "mi.alias.mp");
  // Same limits as /professional/profile; a lone coordinate is refused; nothing half-applied.
  assert.equal((await put({ radio_cobertura_km: 900 })).status, 422);
  assert.equal((await put({ latitude: -34 })).status, 422);
  res = await put({ tarifa_por_hora: 1, oficio_ids: [ZERO_UUID] });
  assert.equal(res.status, 404);
  assert.equal((await a.json("GET", "/professional/me", { token: pro.token })).body.tarifa_por_hora, 7000);
});

it("payout account: both dedicated paths answer the monolith's shape and store it", async () => {
  const pro = await createAccount("PROFESIONAL");
  const a = await api();
  for (const path of ["/professional/payout-info", "/api/v1/professional/payout"]) {
    const account = `cvu-${path.length}`;
    const res = await a.json("PUT", path, { token: pro.token, body: { payout_account: account } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      status: "ok",
      message: "Información de pago actualizada correctamente",
      payout_account: account,
    });
    assert.equal(
      (await a.json("GET", "/professional/me", { token: pro.token })).body.payout_account,
      account,
    );
  }
  for (const body of [{}, { payout_account: "" }, { payout_account: "x".repeat(256) }]) {
    assert.equal((await a.json("PUT", "/professional/payout", { token: pro.token, body })).status, 422);
  }
});

it("a professional cannot change their own verification state, level or rating through SQL either", async () => {
  const pro = await createPro({ estado: "PENDIENTE" });
  const { createDb } = await import("../../shared/db.ts");
  const { testEnv } = await import("../support/env.ts");
  const db = createDb(testEnv().DATABASE_URL, { max: 1, appName: "profile-test" });
  const user = { id: pro.id, rol: "PROFESIONAL" as const, email: pro.email, sessionId: null, issuedAt: 0 };
  try {
    for (const column of ["estado_verificacion = 'APROBADO'", "nivel = 'DIAMANTE'", "rating_promedio = 5"]) {
      await assert.rejects(
        db.asUser(user, (tx) => tx.unsafe(`update public.profesionales set ${column}`)),
        /permission denied/,
      );
    }
  } finally {
    await db.close();
  }
});
