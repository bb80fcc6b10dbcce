// The admin's money dashboards: every value a JSON number, equal to the same figures computed
// here from the tables. Other test files write jobs at the same time, so each comparison is made
// against a snapshot taken before and after the request, retried until both agree.
import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { paidJob, pendingJob, professionalAt, releasedJob, testCbu } from "./payouts-helpers.ts";

const V = "/api/v1";

// deno-lint-ignore no-explicit-any
type Figures = Record<string, any>;

/** The figures from the tables, phrased independently of the routes' queries. */
async function expected(): Promise<{ dashboard: Figures; financials: Figures; stats: Figures }> {
  const sql = testSql();
  const [d] = await sql`select
      (select count(*)::int from public.ledger_asientos where tipo = 'COBRO') as total_transacciones,
      (select coalesce(sum(m.debe), 0)::float8 from public.ledger_asientos a join public.ledger_movimientos m
        on m.asiento_id = a.id where a.tipo = 'COBRO' and m.cuenta = 'mp_cobros') as total_monto_procesado,
      (select coalesce(sum(m.haber), 0)::float8 from public.ledger_asientos a join public.ledger_movimientos m
        on m.asiento_id = a.id where a.tipo = 'LIBERACION' and m.cuenta = 'comisiones') as total_comisiones,
      (select count(*)::int from public.trabajos where estado_escrow = 'PENDIENTE_PAGO' and estado <> 'CANCELADO')
        as pagos_pendientes,
      (select count(*)::int from public.retiros where estado not in ('PAGADO', 'RECHAZADO')) as retiros_pendientes,
      (select coalesce(sum(m.debe), 0)::float8 from public.ledger_asientos a join public.ledger_movimientos m
        on m.asiento_id = a.id where a.tipo = 'COBRO' and m.cuenta = 'mp_cobros'
        and a.created_at > now() - interval '30 days') as ingresos_ultimo_mes`;
  const [f] = await sql`select coalesce(sum(t.precio_final), 0)::float8 as total_facturado,
      coalesce(sum(c.haber), 0)::float8 as comision_total, count(distinct t.id)::int as trabajos_completados
    from public.trabajos t
    left join public.ledger_asientos a on a.trabajo_id = t.id and a.tipo = 'LIBERACION'
    left join public.ledger_movimientos c on c.asiento_id = a.id and c.cuenta = 'comisiones'
    where t.estado_escrow = 'LIBERADO'`;
  const [s] = await sql`select count(*)::int as total,
      (count(*) filter (where estado = 'PENDIENTE_PAGO'))::int as pendientes_pago,
      (count(*) filter (where estado in ('PAGADO', 'EN_PROCESO', 'COMPLETADO')))::int as en_escrow,
      (count(*) filter (where estado = 'APROBADO'))::int as completados,
      (count(*) filter (where estado = 'CANCELADO'))::int as cancelados,
      coalesce(sum(precio_final) filter (where estado_escrow in ('PAGADO_EN_ESCROW', 'LIBERADO')), 0)::float8
        as total_ingresos
    from public.trabajos`;
  const [money] = await sql`select
      (select coalesce(sum(public.escrow_saldo(t.id)), 0)::float8 from public.trabajos t) as dinero_en_escrow,
      (select coalesce(sum(m.haber), 0)::float8 from public.ledger_asientos a join public.ledger_movimientos m
        on m.asiento_id = a.id where a.tipo = 'LIBERACION' and m.cuenta = 'profesional') as total_liberado`;
  return {
    dashboard: { ...d },
    financials: { ...f },
    stats: {
      trabajos: {
        total: s.total,
        pendientes_pago: s.pendientes_pago,
        en_escrow: s.en_escrow,
        completados: s.completados,
        cancelados: s.cancelados,
      },
      finanzas: {
        total_ingresos: s.total_ingresos,
        total_comisiones: d.total_comisiones,
        dinero_en_escrow: money.dinero_en_escrow,
        total_liberado: money.total_liberado,
      },
    },
  };
}

/** The route's answer when the data did not move during the request (up to 10 tries). */
async function stableAnswer(
  path: string,
  token: string,
  pick: (e: Awaited<ReturnType<typeof expected>>) => Figures,
) {
  const a = await api();
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = pick(await expected());
    const res = await a.json("GET", path, { token });
    assert.equal(res.status, 200);
    const after = pick(await expected());
    if (JSON.stringify(before) === JSON.stringify(after)) return { body: res.body, expected: after };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the data kept changing while reading ${path}`);
}

function allNumbers(value: unknown, path = "") {
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) allNumbers(v, `${path}.${k}`);
  } else assert.equal(typeof value, "number", `${path} is a JSON number`);
}

async function someData() {
  const pro = await professionalAt("PLATA"); // 18 %
  await releasedJob(pro, 10000.1);
  await paidJob(pro, 3000);
  await pendingJob(pro, 700);
  await testSql()`insert into public.cuentas_bancarias (usuario_id, tipo, cbu, titular)
    values (${pro.id}, 'CBU', ${testCbu()}, 'Pablo Plomero')`;
  await testSql()`select * from public.retiro_solicitar(${pro.id}, 1000, 1000)`;
}

it("GET /admin/pagos/dashboard: numbers equal to the ledger, jobs awaiting payment and withdrawals to process", async () => {
  await someData();
  const admin = await createAccount("ADMIN");
  const { body, expected } = await stableAnswer(
    `${V}/admin/pagos/dashboard`,
    admin.token,
    (e) => e.dashboard,
  );
  allNumbers(body);
  assert.deepEqual(Object.keys(body).sort(), Object.keys(expected).sort());
  for (const key of Object.keys(expected)) assert.ok(Math.abs(body[key] - expected[key]) < 0.005, key);
  assert.ok(body.total_transacciones >= 2 && body.retiros_pendientes >= 1 && body.pagos_pendientes >= 1);
});

it("GET /admin/metrics/financials: the monolith's FinancialMetricsResponse over released jobs", async () => {
  await someData();
  const admin = await createAccount("ADMIN");
  const { body, expected } = await stableAnswer(
    `${V}/admin/metrics/financials`,
    admin.token,
    (e) => e.financials,
  );
  allNumbers(body);
  assert.deepEqual(Object.keys(body).sort(), ["comision_total", "total_facturado", "trabajos_completados"]);
  for (const key of Object.keys(expected)) assert.ok(Math.abs(body[key] - expected[key]) < 0.005, key);
  assert.ok(body.trabajos_completados >= 1 && body.comision_total >= 1800.02);
});

it("GET /admin/dashboard/stats: {trabajos, finanzas} counts and money", async () => {
  await someData();
  const admin = await createAccount("ADMIN");
  const { body, expected } = await stableAnswer(`${V}/admin/dashboard/stats`, admin.token, (e) => e.stats);
  allNumbers(body);
  assert.deepEqual(Object.keys(body.trabajos).sort(), Object.keys(expected.trabajos).sort());
  assert.deepEqual(body.trabajos, expected.trabajos);
  for (const key of Object.keys(expected.finanzas)) {
    assert.ok(Math.abs(body.finanzas[key] - expected.finanzas[key]) < 0.005, key);
  }
});

it("the money dashboards are for admins only", async () => {
  const a = await api();
  const pro = await createAccount("PROFESIONAL");
  for (const path of ["/admin/pagos/dashboard", "/admin/metrics/financials", "/admin/dashboard/stats"]) {
    assert.equal((await a.json("GET", `${V}${path}`, { token: pro.token })).status, 403, path);
    assert.equal((await a.json("GET", `${V}${path}`)).status, 401, path);
  }
});
