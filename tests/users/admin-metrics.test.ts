import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";

it("GET /admin/metrics/users returns the original's counts plus roles, status and new users per day", async () => {
  const admin = await createAccount("ADMIN");
  const client = await api();
  const get = async () =>
    (await client.json("GET", "/api/v1/admin/metrics/users", { token: admin.token })).body;
  const before = await get();
  const pro = await createAccount("PROFESIONAL");
  await testSql()`update public.profesionales set estado_verificacion = 'EN_REVISION' where usuario_id = ${pro.id}`;
  await createAccount("CLIENTE");
  const after = await get();

  for (
    const key of ["total_clientes", "total_profesionales", "total_pro_pendientes_kyc", "total_pro_aprobados"]
  ) {
    assert.equal(typeof after[key], "number", key);
  }
  // Per-role counts move with other tests' role changes running alongside; accounts only accrue.
  assert.ok(after.total_usuarios >= before.total_usuarios + 2);
  assert.ok(after.total_pro_pendientes_kyc >= 1);
  assert.equal(after.total_usuarios, after.total_clientes + after.total_profesionales + after.total_admins);
  assert.equal(after.total_usuarios, after.usuarios_activos + after.usuarios_baneados);
  assert.deepEqual(after.por_rol, {
    CLIENTE: after.total_clientes,
    PROFESIONAL: after.total_profesionales,
    ADMIN: after.total_admins,
  });
  assert.deepEqual(after.por_estado, { activos: after.usuarios_activos, baneados: after.usuarios_baneados });
  assert.equal(after.nuevos_por_dia.length, 30);
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(after.nuevos_por_dia.at(-1).fecha, today);
  assert.ok(after.nuevos_por_dia.at(-1).total >= 3);
  assert.ok(after.nuevos_ultimos_30_dias >= after.nuevos_por_dia.at(-1).total);
});

it("GET /admin/metrics/users counts PENDIENTE and EN_REVISION as pending KYC, APROBADO apart", async () => {
  const admin = await createAccount("ADMIN");
  const client = await api();
  const get = async () =>
    (await client.json("GET", "/api/v1/admin/metrics/users", { token: admin.token })).body;
  const before = await get();
  const pro = await createAccount("PROFESIONAL");
  const mid = await get();
  assert.ok(mid.total_pro_pendientes_kyc >= before.total_pro_pendientes_kyc + 1);
  await testSql()`update public.profesionales set estado_verificacion = 'APROBADO' where usuario_id = ${pro.id}`;
  const after = await get();
  assert.ok(after.total_pro_aprobados >= mid.total_pro_aprobados + 1);
});
