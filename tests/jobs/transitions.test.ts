import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { deal, type Estado, jobIn, jobRow } from "../offers/helpers.ts";

/**
 * Every transition outside compatibility.md §4.3, from every state, by every kind of caller:
 * 400 naming the state (wrong state) or 403 (wrong party), and the job does not change at all.
 */
type Who = "client" | "pro" | "stranger" | "admin";
type Call = { label: string; method: string; path: (id: string) => string; body?: unknown };
const PUT = (estado: string): Call => ({
  label: `PUT ${estado}`,
  method: "PUT",
  path: (id) => `/chat_ofertas/trabajos/${id}`,
  body: { estado },
});
const CALLS: Call[] = [
  PUT("EN_PROCESO"),
  PUT("COMPLETADO"),
  PUT("APROBADO"),
  PUT("CANCELADO"),
  PUT("PAGADO"),
  PUT("PENDIENTE_PAGO"),
  { label: "finalizar", method: "POST", path: (id) => `/cliente/trabajo/${id}/finalizar` },
  { label: "cancelar (monolith)", method: "POST", path: (id) => `/cliente/trabajo/${id}/cancelar` },
  { label: "cancelar (FE)", method: "POST", path: (id) => `/chat_ofertas/trabajos/${id}/cancelar` },
  { label: "cancelar (admin)", method: "POST", path: (id) => `/admin/trabajo/${id}/cancelar` },
];

/** The §4.3 table: [call label, caller, from state]. Everything else must be refused. */
const ALLOWED = new Set([
  "PUT EN_PROCESO|pro|PAGADO",
  "PUT COMPLETADO|pro|EN_PROCESO",
  "PUT APROBADO|client|COMPLETADO",
  "PUT CANCELADO|client|PENDIENTE_PAGO",
  "PUT CANCELADO|pro|PENDIENTE_PAGO",
  "PUT CANCELADO|client|PAGADO",
  "PUT CANCELADO|pro|PAGADO",
  "PUT CANCELADO|client|EN_PROCESO",
  "PUT CANCELADO|pro|EN_PROCESO",
  "cancelar (FE)|client|PENDIENTE_PAGO",
  "cancelar (FE)|pro|PENDIENTE_PAGO",
  "cancelar (FE)|client|PAGADO",
  "cancelar (FE)|pro|PAGADO",
  "cancelar (FE)|client|EN_PROCESO",
  "cancelar (FE)|pro|EN_PROCESO",
  ...["PAGADO", "EN_PROCESO", "COMPLETADO"].flatMap((s) => [
    `finalizar|client|${s}`,
    `cancelar (monolith)|client|${s}`,
    `cancelar (admin)|admin|${s}`,
  ]),
]);

const STATES: Estado[] = ["PENDIENTE_PAGO", "PAGADO", "EN_PROCESO", "COMPLETADO", "APROBADO", "CANCELADO"];

it("every transition outside the §4.3 table answers 400/403/404 and changes nothing", async () => {
  const gw = await api();
  const d = await deal(gw);
  const stranger = await createAccount("CLIENTE");
  const admin = await createAccount("ADMIN");
  const tokens: Record<Who, string> = {
    client: d.client.token,
    pro: d.pro.token,
    stranger: stranger.token,
    admin: admin.token,
  };
  const failures: string[] = [];
  let checked = 0;
  for (const estado of STATES) {
    const id = await jobIn(gw, d, estado);
    const before = await snapshot(id);
    assert.equal(before.estado, estado);
    for (const call of CALLS) {
      for (const who of Object.keys(tokens) as Who[]) {
        if (ALLOWED.has(`${call.label}|${who}|${estado}`)) continue;
        checked++;
        const res = await gw.json(call.method, `/api/v1${call.path(id)}`, {
          token: tokens[who],
          body: call.body,
        });
        const expected = who === "stranger" || (who === "admin" && !call.label.includes("admin"))
          ? [403, 404]
          : call.label.includes("admin") && who !== "admin"
          ? [403]
          : [400, 403];
        if (!expected.includes(res.status)) {
          failures.push(`${call.label} by ${who} from ${estado}: ${res.status} ${res.body?.detail}`);
        } else if (res.status === 403 && !/no te pertenece|Se requiere rol/.test(res.body.detail)) {
          // The monolith's text, which its test clients assert.
          failures.push(
            `${call.label} by ${who} from ${estado}: 403 without "no te pertenece": ${res.body.detail}`,
          );
        } else if (
          res.status === 400 &&
          !new RegExp(`${estado}|PAGADO_EN_ESCROW|LIBERADO|CANCELADO_REEMBOLSADO`).test(res.body.detail)
        ) {
          failures.push(`${call.label} by ${who} from ${estado}: 400 without the state: ${res.body.detail}`);
        }
      }
    }
    assert.deepEqual(await snapshot(id), before, `job in ${estado} changed`);
  }
  assert.deepEqual(failures, []);
  assert.ok(checked > 200, `checked ${checked}`);
});

/** Everything a refused transition must leave as it was: the row, its timeline, its events. */
async function snapshot(id: string): Promise<Record<string, unknown>> {
  const row = await jobRow(id);
  const [{ eventos }] =
    await testSql()`select count(*)::int as eventos from public.trabajo_eventos where trabajo_id = ${id}`;
  const [{ outbox }] =
    await testSql()`select count(*)::int as outbox from public.outbox where aggregate_id = ${id}`;
  return { ...row, eventos, outbox };
}

it("20 concurrent approvals release once; the rest answer 400 APROBADO", async () => {
  const gw = await api();
  const d = await deal(gw);
  const id = await jobIn(gw, d, "COMPLETADO");
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      i % 2
        ? gw.json("PUT", `/chat_ofertas/trabajos/${id}`, {
          token: d.client.token,
          body: { estado: "APROBADO" },
        })
        : gw.json("POST", `/cliente/trabajo/${id}/finalizar`, { token: d.client.token })),
  );
  assert.equal(
    results.filter((r) => r.status === 200).length,
    1,
    JSON.stringify(results.map((r) => r.status)),
  );
  for (const r of results.filter((r) => r.status !== 200)) {
    assert.equal(r.status, 400);
    assert.match(r.body.detail, /APROBADO|LIBERADO/);
  }
  const [{ n }] = await testSql()`select count(*)::int as n from public.ledger_asientos
    where trabajo_id = ${id} and tipo = 'LIBERACION'`;
  assert.equal(n, 1);
  const [{ e }] =
    await testSql()`select count(*)::int as e from public.outbox where aggregate_id = ${id} and type = 'job.approved'`;
  assert.equal(e, 1);
});

it("approve and cancel at the same moment: exactly one outcome (released or refund requested)", async () => {
  const gw = await api();
  const d = await deal(gw);
  const admin = await createAccount("ADMIN");
  for (let round = 0; round < 3; round++) {
    const id = await jobIn(gw, d, "COMPLETADO");
    const [approve, cancel, adminCancel] = await Promise.all([
      gw.json("PUT", `/chat_ofertas/trabajos/${id}`, { token: d.client.token, body: { estado: "APROBADO" } }),
      gw.json("POST", `/cliente/trabajo/${id}/cancelar`, { token: d.client.token }),
      gw.json("POST", `/admin/trabajo/${id}/cancelar`, { token: admin.token }),
    ]);
    const ok = [approve, cancel, adminCancel].filter((r) => r.status === 200);
    assert.equal(ok.length, 1, JSON.stringify([approve.status, cancel.status, adminCancel.status]));
    const row = await jobRow(id);
    const [{ lib }] = await testSql()`select count(*)::int as lib from public.ledger_asientos
      where trabajo_id = ${id} and tipo = 'LIBERACION'`;
    const [{ ref }] =
      await testSql()`select count(*)::int as ref from public.reembolsos where trabajo_id = ${id}`;
    if (approve.status === 200) {
      assert.deepEqual([row.estado, lib, ref], ["APROBADO", 1, 0]);
    } else {
      assert.deepEqual([row.estado, lib, ref], ["CANCELADO", 0, 1]);
    }
  }
});
