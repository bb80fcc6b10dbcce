import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { createPro, createTrade, uniqueName, ZERO_UUID } from "./helpers.ts";

type Trade = { id: string; nombre: string; descripcion: string; activo: boolean; fecha_creacion: string };

it("GET /public/oficios lists the seeded active trades by name, descriptions never null, token ignored", async () => {
  const res = await (await api()).json("GET", "/api/v1/public/oficios", { token: "garbage" });
  assert.equal(res.status, 200);
  const names = res.body.map((t: Trade) => t.nombre);
  for (const seeded of ["Plomería", "Electricidad", "Reparación de electrodomésticos"]) {
    assert.ok(names.includes(seeded));
  }
  for (const t of res.body as Trade[]) {
    assert.equal(typeof t.descripcion, "string");
    assert.ok(t.fecha_creacion);
    assert.equal(t.activo, true);
  }
  const inDb =
    await testSql()`select nombre from unnest(${names}::varchar(100)[]) as t(nombre) order by nombre`;
  assert.deepEqual(names, inDb.map((r) => r.nombre), "ordered by name");
});

it("POST /admin/oficios: admin creates (201), duplicate → 400, others 403, no token 401, bad body 422", async () => {
  const admin = await createAccount("ADMIN");
  const client = await createAccount("CLIENTE");
  const a = await api();
  const nombre = uniqueName("Herrería");
  let res = await a.json("POST", "/admin/oficios", {
    token: admin.token,
    body: { nombre, descripcion: "Rejas" },
  });
  assert.equal(res.status, 201);
  assert.equal(res.body.nombre, nombre);
  assert.equal(res.body.descripcion, "Rejas");
  res = await a.json("POST", "/admin/oficios", { token: admin.token, body: { nombre } });
  assert.equal(res.status, 400);
  assert.equal(res.body.detail, `Ya existe un oficio con el nombre '${nombre}'`);
  res = await a.json("POST", "/admin/oficios", {
    token: admin.token,
    body: { nombre: nombre.toUpperCase() },
  });
  assert.equal(res.status, 400, "names are unique whatever the case");
  res = await a.json("POST", "/admin/oficios", { token: client.token, body: { nombre: uniqueName("X") } });
  assert.equal(res.status, 403);
  assert.equal((await a.json("POST", "/admin/oficios", { body: { nombre: uniqueName("X") } })).status, 401);
  for (
    const body of [{}, { nombre: "ab" }, { nombre: "x".repeat(101) }, {
      nombre: "Válido",
      descripcion: "x".repeat(501),
    }]
  ) {
    assert.equal((await a.json("POST", "/admin/oficios", { token: admin.token, body })).status, 422);
  }
  const noDescription = await a.json("POST", "/admin/oficios", {
    token: admin.token,
    body: { nombre: uniqueName("Sin") },
  });
  assert.equal(noDescription.body.descripcion, "");
});

it("GET /admin/oficios works for any signed-in user; admins also see inactive trades", async () => {
  const admin = await createAccount("ADMIN");
  const pro = await createAccount("PROFESIONAL");
  const trade = await createTrade();
  const a = await api();
  await a.json("PATCH", `/admin/oficios/${trade.id}/toggle`, { token: admin.token });
  const asPro = await a.json("GET", "/admin/oficios", { token: pro.token });
  assert.equal(asPro.status, 200);
  assert.ok(!asPro.body.some((t: Trade) => t.id === trade.id));
  const asAdmin = await a.json("GET", "/admin/oficios", { token: admin.token });
  assert.equal(asAdmin.body.find((t: Trade) => t.id === trade.id)?.activo, false);
  assert.equal((await a.json("GET", "/admin/oficios")).status, 401);
  const pub = await a.json("GET", "/public/oficios");
  assert.ok(!pub.body.some((t: Trade) => t.id === trade.id));
});

it("PUT /admin/oficios/:id and PATCH …/toggle update and (de)activate; 404 unknown or malformed", async () => {
  const admin = await createAccount("ADMIN");
  const client = await createAccount("CLIENTE");
  const trade = await createTrade();
  const a = await api();
  const nombre = uniqueName("Renombrado");
  let res = await a.json("PUT", `/admin/oficios/${trade.id}`, {
    token: admin.token,
    body: { nombre, descripcion: "Nueva" },
  });
  assert.equal(res.status, 200);
  assert.deepEqual([res.body.nombre, res.body.descripcion, res.body.activo], [nombre, "Nueva", true]);
  res = await a.json("PATCH", `/admin/oficios/${trade.id}/toggle`, { token: admin.token });
  assert.equal(res.body.activo, false);
  res = await a.json("PATCH", `/admin/oficios/${trade.id}/toggle`, { token: admin.token });
  assert.equal(res.body.activo, true);
  res = await a.json("PUT", `/admin/oficios/${trade.id}`, { token: admin.token, body: { activo: false } });
  assert.equal(res.body.activo, false);
  assert.equal(
    (await a.json("PUT", `/admin/oficios/${ZERO_UUID}`, { token: admin.token, body: {} })).status,
    404,
  );
  assert.equal(
    (await a.json("PATCH", `/admin/oficios/${ZERO_UUID}/toggle`, { token: admin.token })).status,
    404,
  );
  assert.equal((await a.json("PATCH", `/admin/oficios/abc/toggle`, { token: admin.token })).status, 404);
  assert.equal(
    (await a.json("PUT", `/admin/oficios/${trade.id}`, { token: client.token, body: {} })).status,
    403,
  );
  const other = await createTrade();
  res = await a.json("PUT", `/admin/oficios/${trade.id}`, {
    token: admin.token,
    body: { nombre: other.nombre },
  });
  assert.equal(res.status, 400);
});

it("admin instant-service catalog: create per trade (201), list by name, 404 unknown trade, roles", async () => {
  const admin = await createAccount("ADMIN");
  const pro = await createAccount("PROFESIONAL");
  const trade = await createTrade();
  const a = await api();
  for (const nombre of ["Destapación", "Cambio de cuerito", "Arreglo de canilla"]) {
    const res = await a.json("POST", "/admin/servicios-instant", {
      token: admin.token,
      body: { nombre, descripcion: "Servicio rápido", oficio_id: trade.id },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.nombre, nombre);
    assert.equal(res.body.oficio_id, trade.id);
    assert.equal(res.body.precio_fijo, null);
  }
  const list = await a.json("GET", `/admin/oficios/${trade.id}/servicios-instant`, { token: pro.token });
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.map((s: { nombre: string }) => s.nombre), [
    "Arreglo de canilla",
    "Cambio de cuerito",
    "Destapación",
  ]);
  let res = await a.json("POST", "/admin/servicios-instant", {
    token: admin.token,
    body: { nombre: "X", oficio_id: ZERO_UUID },
  });
  assert.equal(res.status, 404);
  assert.equal(res.body.detail, `No existe el oficio con ID ${ZERO_UUID}`);
  res = await a.json("GET", `/admin/oficios/${ZERO_UUID}/servicios-instant`, { token: admin.token });
  assert.equal(res.status, 404);
  res = await a.json("POST", "/admin/servicios-instant", {
    token: pro.token,
    body: { nombre: "X", oficio_id: trade.id },
  });
  assert.equal(res.status, 403);
  res = await a.json("POST", "/admin/servicios-instant", {
    token: admin.token,
    body: { nombre: "", oficio_id: trade.id },
  });
  assert.equal(res.status, 422);
  assert.equal((await a.json("GET", `/admin/oficios/${trade.id}/servicios-instant`)).status, 401);
});

it("PUT /professional/profile/servicios-instant replaces the set (2 then 3); unknown → 404", async () => {
  const admin = await createAccount("ADMIN");
  const pro = await createAccount("PROFESIONAL");
  const trade = await createTrade();
  const a = await api();
  const ids: string[] = [];
  for (const nombre of ["Uno", "Dos", "Tres"]) {
    ids.push(
      (await a.json("POST", "/admin/servicios-instant", {
        token: admin.token,
        body: { nombre, oficio_id: trade.id },
      })).body.id,
    );
  }
  let res = await a.json("PUT", "/professional/profile/servicios-instant", {
    token: pro.token,
    body: { servicio_ids: ids.slice(0, 2) },
  });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.map((s: { nombre: string }) => s.nombre), ["Dos", "Uno"]);
  res = await a.json("PUT", "/professional/profile/servicios-instant", {
    token: pro.token,
    body: { servicio_ids: ids },
  });
  assert.equal(res.body.length, 3);
  res = await a.json("PUT", "/professional/profile/servicios-instant", {
    token: pro.token,
    body: { servicio_ids: [ids[0], ZERO_UUID] },
  });
  assert.equal(res.status, 404);
  assert.equal(res.body.detail, `Servicios no encontrados: ['${ZERO_UUID}']`);
  res = await a.json("PUT", "/professional/profile/servicios-instant", {
    token: pro.token,
    body: { servicio_ids: ["1"] },
  });
  assert.equal(res.status, 422);
});

it("published services: create (201), list mine, update, delete (204); another's → 404; public list", async () => {
  const owner = await createPro({ estado: "APROBADO", nombre: "Lola", apellido: "Mora", rating: 4.5 });
  const other = await createPro({ estado: "APROBADO" });
  const pending = await createPro({ estado: "PENDIENTE" });
  const trade = await createTrade();
  const a = await api();
  let res = await a.json("POST", "/profesional/servicios", {
    token: owner.token,
    body: {
      nombre: "Instalación de termotanque",
      descripcion: "Incluye materiales",
      precio_fijo: 45000,
      oficio_id: trade.id,
    },
  });
  assert.equal(res.status, 201);
  const id = res.body.id;
  assert.equal(res.body.precio_fijo, 45000);
  assert.equal(res.body.profesional_id, owner.profesionalId);
  assert.deepEqual(res.body.profesional, {
    id: owner.profesionalId,
    nombre: "Lola Mora",
    apellido: "Mora",
    nivel: "BRONCE",
    avatar_url: null,
    rating_promedio: 4.5,
  });
  assert.deepEqual(res.body.oficio, { id: trade.id, nombre: trade.nombre, categoria: trade.nombre });
  await a.json("POST", "/profesional/servicios", {
    token: pending.token,
    body: { nombre: "Oculto", precio_fijo: 100, oficio_id: trade.id },
  });
  res = await a.json("GET", "/profesional/servicios/me", { token: owner.token });
  assert.deepEqual(res.body.map((s: { id: string }) => s.id), [id]);
  res = await a.json("PUT", `/profesional/servicios/${id}`, {
    token: owner.token,
    body: { precio_fijo: "47000.50" },
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.precio_fijo, 47000.5);
  res = await a.json("PUT", `/profesional/servicios/${id}`, { token: other.token, body: { precio_fijo: 1 } });
  assert.equal(res.status, 404);
  assert.equal(res.body.detail, "Servicio no encontrado o no tienes permiso para modificarlo");
  assert.equal((await a.json("DELETE", `/profesional/servicios/${id}`, { token: other.token })).status, 404);
  const bad = [0, -5, 1e-20, 0.001].map((precio_fijo) => ({ precio_fijo }));
  for (const body of [...bad, { nombre: "" }]) {
    assert.equal(
      (await a.json("PUT", `/profesional/servicios/${id}`, { token: owner.token, body })).status,
      422,
    );
  }
  res = await a.json("POST", "/profesional/servicios", {
    token: owner.token,
    body: { nombre: "X", precio_fijo: 10, oficio_id: ZERO_UUID },
  });
  assert.equal(res.status, 404);
  const pub = await a.json("GET", `/servicios?oficio_id=${trade.id}`, { token: "garbage" });
  assert.equal(pub.status, 200);
  assert.deepEqual(pub.body.map((s: { id: string }) => s.id), [id], "only approved professionals' services");
  assert.equal(typeof pub.body[0].profesional.rating_promedio, "number");
  assert.equal((await a.json("GET", "/servicios?oficio_id=abc")).status, 422);
  assert.equal((await a.json("DELETE", `/profesional/servicios/${id}`, { token: owner.token })).status, 204);
  assert.deepEqual((await a.json("GET", "/profesional/servicios/me", { token: owner.token })).body, []);
  assert.equal((await a.json("DELETE", `/profesional/servicios/${id}`, { token: owner.token })).status, 404);
  const client = await createAccount("CLIENTE");
  assert.equal((await a.json("GET", "/profesional/servicios/me", { token: client.token })).status, 403);
  assert.equal((await a.json("GET", "/profesional/servicios/me")).status, 401);
});
