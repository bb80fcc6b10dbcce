// GET /pagos/historial: releases (net, commission, client) and withdrawals, filters, pagination
// and the period's summary.
import assert from "node:assert/strict";
import { createAccount } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { professionalAt, releasedJob, testCbu } from "./payouts-helpers.ts";

const V = "/api/v1";

it("history: releases (net, commission, client) and withdrawals, filters, pagination and the period's summary", async () => {
  const a = await api();
  const admin = await createAccount("ADMIN");
  const pro = await professionalAt("ORO");
  const first = await releasedJob(pro, 10000); // net 8500, commission 1500
  const second = await releasedJob(pro, 4000); // net 3400, commission 600
  await a.json("POST", `${V}/pagos/cuenta-bancaria`, {
    token: pro.token,
    body: { cbu: testCbu(), titular: "Pablo Plomero" },
  });
  const w = await a.json("POST", `${V}/pagos/retiros`, { token: pro.token, body: { monto: 2000 } });
  await a.json("POST", `${V}/admin/pagos/retiros/${w.body.id}/aprobar`, { token: admin.token });
  await a.json("POST", `${V}/admin/pagos/retiros/${w.body.id}/pagar`, { token: admin.token });
  const get = (q = "") => a.json("GET", `${V}/pagos/historial${q}`, { token: pro.token });

  const all = await get();
  assert.equal(all.status, 200);
  assert.equal(all.body.total, 3);
  assert.deepEqual(all.body.movimientos.map((m: { tipo: string }) => m.tipo), [
    "egreso",
    "ingreso",
    "ingreso",
  ]);
  assert.deepEqual(all.body.resumen, { total_ingresos: 11900, total_egresos: 2000, total_comisiones: 2100 });
  const ingreso = all.body.movimientos.find((m: { trabajo_id: string }) => m.trabajo_id === first.id);
  assert.deepEqual(
    {
      monto: ingreso.monto,
      comision_plataforma: ingreso.comision_plataforma,
      monto_bruto: ingreso.monto_bruto,
      estado: ingreso.estado,
      cliente_nombre: ingreso.cliente_nombre,
    },
    {
      monto: 8500,
      comision_plataforma: 1500,
      monto_bruto: 10000,
      estado: "completado",
      cliente_nombre: "Carla Cliente",
    },
  );
  const egreso = all.body.movimientos[0];
  assert.equal(egreso.estado, "completado");
  assert.equal(egreso.monto, 2000);
  assert.equal(egreso.cliente_nombre, null);
  for (
    const key of ["id", "tipo", "descripcion", "monto", "comision_plataforma", "estado", "fecha_creacion"]
  ) {
    assert.ok(key in egreso, key);
  }

  assert.equal((await get("?tipo=ingreso")).body.total, 2);
  assert.equal((await get("?tipo=egreso")).body.total, 1);
  assert.equal((await get("?tipo=comision")).body.total, 2);
  const page2 = await get("?page=2&limit=1");
  assert.deepEqual([page2.body.page, page2.body.limit, page2.body.pages, page2.body.total], [2, 1, 3, 3]);
  assert.equal(page2.body.movimientos[0].trabajo_id, second.id);
  assert.deepEqual((await get("?page=9&limit=1")).body.movimientos, []);
  assert.equal((await get("?page=9&limit=1")).body.total, 3);
  const today = new Date().toISOString().slice(0, 10);
  assert.equal((await get(`?desde=${today}&hasta=${today}`)).body.total, 3);
  const future = await get("?desde=2999-01-01");
  assert.equal(future.body.total, 0);
  assert.deepEqual(future.body.resumen, { total_ingresos: 0, total_egresos: 0, total_comisiones: 0 });
  assert.equal((await get("?desde=ayer")).status, 422);
  assert.equal((await get("?tipo=otro")).status, 422);
  // Another professional sees none of it.
  const other = await professionalAt("ORO");
  const theirs = await a.json("GET", `${V}/pagos/historial`, { token: other.token });
  assert.equal(theirs.body.total, 0);
});
