// POST|GET /pagos/cuenta-bancaria: CBU/CVU check digits, alias rules, masking — and the full CBU
// never leaves the API except in the admin's payout export.
import assert from "node:assert/strict";
import { createAccount } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { professionalAt, releasedJob, testCbu } from "./payouts-helpers.ts";

const V = "/api/v1";
const PATH = `${V}/pagos/cuenta-bancaria`;

it("a professional has no account until they save one; a CBU is shown by its last 4 digits", async () => {
  const a = await api();
  const pro = await professionalAt();
  const none = await a.json("GET", PATH, { token: pro.token });
  assert.equal(none.status, 200);
  assert.equal(none.body, null);
  const saved = await a.json("POST", PATH, {
    token: pro.token,
    body: {
      tipo_cuenta: "cbu",
      cbu: "2850 5909 4009 0418 1352 01",
      titular: "Pablo Plomero",
      banco: "Macro",
      cuit: "20-12345678-6",
    },
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.deepEqual(
    { ...saved.body, fecha_creacion: undefined, fecha_actualizacion: undefined },
    {
      tipo_cuenta: "cbu",
      cbu_oculto: "******************5201",
      alias: null,
      titular: "Pablo Plomero",
      banco: "Macro",
      cuit_oculto: "*******6786",
      fecha_creacion: undefined,
      fecha_actualizacion: undefined,
    },
  );
  const got = await a.json("GET", PATH, { token: pro.token });
  assert.equal(got.body.cbu_oculto, "******************5201");
  assert.ok(!JSON.stringify(got.body).includes("2850590940090418135201"));

  // Replaced in place: a CVU (entity 000), then an alias.
  const cvu = await a.json("POST", PATH, {
    token: pro.token,
    body: { cvu: "0000003110000000000014", titular: "Pablo Plomero" },
  });
  assert.equal(cvu.body.tipo_cuenta, "cvu");
  assert.equal(cvu.body.fecha_creacion, saved.body.fecha_creacion);
  const alias = await a.json("POST", PATH, {
    token: pro.token,
    body: { tipo_cuenta: "alias", alias: "pablo.plomero.mp", titular: "Pablo Plomero" },
  });
  assert.equal(alias.status, 200);
  assert.deepEqual([alias.body.tipo_cuenta, alias.body.alias, alias.body.cbu_oculto], [
    "alias",
    "pablo.plomero.mp",
    null,
  ]);
});

it("a wrong CBU/CVU check digit, a bad alias or CUIT answer 422 with a Spanish detail", async () => {
  const a = await api();
  const pro = await professionalAt();
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ cbu: "2850590940090418135202" }, /cbu: El CBU no es válido: el dígito verificador del segundo bloque/],
    [{ cbu: "2850590840090418135201" }, /cbu: El CBU no es válido: el dígito verificador del primer bloque/],
    [{ cvu: "0000003110000000000015" }, /cvu: El CVU no es válido/],
    [{ cbu: "28505909400904181352" }, /El CBU debe tener exactamente 22 dígitos/],
    [{ tipo_cuenta: "alias", alias: "corto" }, /alias: El alias debe tener entre 6 y 20 caracteres/],
    [{ tipo_cuenta: "alias", alias: "con espacios ok" }, /alias:/],
    [{ tipo_cuenta: "cbu" }, /Indicá un CBU, un CVU o un alias/],
    [{ cbu: "2850590940090418135201", cuit: "20123456787" }, /El CUIT\/CUIL no es válido/],
    [{ cbu: "2850590940090418135201", titular: "" }, /titular/],
    [{ tipo_cuenta: "tarjeta", cbu: "2850590940090418135201" }, /tipo_cuenta/],
  ];
  for (const [fields, detail] of cases) {
    const res = await a.json("POST", PATH, {
      token: pro.token,
      body: { titular: "Pablo Plomero", ...fields },
    });
    assert.equal(res.status, 422, JSON.stringify(fields));
    assert.match(res.body.detail, detail);
  }
  assert.equal((await a.json("GET", PATH, { token: pro.token })).body, null, "nothing was saved");
});

it("only professionals have a payout account", async () => {
  const a = await api();
  for (const rol of ["CLIENTE", "ADMIN"] as const) {
    const user = await createAccount(rol);
    assert.equal((await a.json("GET", PATH, { token: user.token })).status, 403);
    const body = { cbu: "2850590940090418135201", titular: "X Y" };
    assert.equal((await a.json("POST", PATH, { token: user.token, body })).status, 403);
  }
  assert.equal((await a.json("GET", PATH)).status, 401);
});

it("the full CBU appears in no response except the admin's CSV export", async () => {
  const a = await api();
  const admin = await createAccount("ADMIN");
  const pro = await professionalAt("PLATA");
  await releasedJob(pro, 5000);
  const cbu = testCbu();
  const texts: string[] = [];
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await a.fetch(`${V}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    texts.push(`${method} ${path} ${res.status} ${text}`);
    return text.startsWith("{") ? JSON.parse(text) : text;
  };
  await call("POST", "/pagos/cuenta-bancaria", pro.token, { cbu, titular: "Pablo Plomero" });
  await call("GET", "/pagos/cuenta-bancaria", pro.token);
  const w = await call("POST", "/pagos/retiros", pro.token, { monto: 1500 });
  await call("GET", "/pagos/retiros", pro.token);
  await call("GET", "/pagos/balance", pro.token);
  await call("GET", "/pagos/historial", pro.token);
  await call("GET", "/admin/pagos/retiros?limit=100", admin.token);
  await call("POST", `/admin/pagos/retiros/${w.id}/aprobar`, admin.token);
  await call("GET", "/admin/pagos/dashboard", admin.token);
  for (const t of texts) assert.ok(!t.includes(cbu), `full CBU leaked: ${t.slice(0, 200)}`);
  const csv = await call("GET", "/admin/pagos/retiros/export.csv", admin.token);
  assert.ok(String(csv).includes(cbu), "the operator's export carries the full CBU");
  await call("POST", `/admin/pagos/retiros/${w.id}/pagar`, admin.token);
  assert.ok(!texts.at(-1)!.includes(cbu));
});
