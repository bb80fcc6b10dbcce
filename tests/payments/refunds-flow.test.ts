// Refunds through the real path: a job accepted and paid on the MercadoPago stand-in's checkout
// page (signed webhook, not a SIM- payment), then a dispute resolved with REEMBOLSO_PARCIAL or a
// cancellation after payment → refund.requested → payments calls the stand-in's refunds API once
// → the reembolso COMPLETADO with the REEMBOLSO entry of that amount, and the ledger sound.

import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import type { TestApi } from "../support/gateway.ts";
import { type Deal, deal, offer } from "../offers/helpers.ts";
import { openDispute } from "../disputes/helpers.ts";
import { clickPay, invariantViolations, jobState, paymentsApi, standIn, waitFor } from "./helpers.ts";

const V = "/api/v1";

/** Offer → accept → payment_url → Pagar on the stand-in → webhook → PAGADO. The payment id. */
async function paidJob(gw: TestApi, d: Deal, precio: number): Promise<{ jobId: string; paymentId: string }> {
  const o = await offer(gw, d, { precio_final: precio });
  const accepted = await gw.json("POST", `${V}/cliente/ofertas/${o.id}/accept`, { token: d.client.token });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  const jobId = accepted.body.trabajo_id as string;
  const link = new URL(accepted.body.payment_url);
  const checkout = await gw.fetch(`${V}${link.pathname}${link.search}`, { redirect: "manual" });
  await checkout.body?.cancel();
  assert.equal(checkout.status, 302);
  const back = await clickPay(checkout.headers.get("location")!);
  const paymentId = back.searchParams.get("payment_id")!;
  const state = await waitFor(async () => {
    const s = await jobState(jobId);
    return s.estado === "PAGADO" ? s : null;
  });
  assert.equal(state.mercadopago_payment_id, paymentId);
  assert.doesNotMatch(paymentId, /^SIM-/);
  return { jobId, paymentId };
}

/** Waits for the job's refund to be COMPLETADO and checks MercadoPago and the ledger agree on it. */
async function assertRefunded(jobId: string, paymentId: string, monto: number) {
  const refund = await waitFor(async () => {
    const [row] = await testSql()`select id, estado, mp_refund_id, monto::float8 as monto
      from public.reembolsos where trabajo_id = ${jobId} and estado = 'COMPLETADO'`;
    return row;
  }, 15_000);
  assert.equal(refund.monto, monto);
  const atMp = (await standIn("refunds")).filter((r) => String(r.payment_id) === paymentId);
  assert.equal(atMp.length, 1, "MercadoPago's refunds API reached exactly once");
  assert.equal(atMp[0].amount, monto);
  assert.equal(String(atMp[0].id), refund.mp_refund_id);
  const entry = await testSql()`
    select m.cuenta, m.debe::float8 as debe, m.haber::float8 as haber
    from public.ledger_asientos a join public.ledger_movimientos m on m.asiento_id = a.id
    where a.trabajo_id = ${jobId} and a.tipo = 'REEMBOLSO' order by m.cuenta`;
  assert.deepEqual(entry.map((m) => ({ ...m })), [
    { cuenta: "escrow", debe: monto, haber: 0 },
    { cuenta: "mp_cobros", debe: 0, haber: monto },
  ]);
  assert.equal((await jobState(jobId)).saldo, 0);
  // A redelivery or a late duplicate would show up here as a second refund; give it a moment.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await standIn("refunds")).filter((r) => String(r.payment_id) === paymentId).length, 1);
  assert.deepEqual(await invariantViolations(jobId), []);
}

it("dispute resolved REEMBOLSO_PARCIAL on a MercadoPago-paid job: the part refunded once, the rest released", async () => {
  const gw = await paymentsApi();
  const d = await deal(gw, { nivel: "BRONCE" });
  const admin = await createAccount("ADMIN");
  const { jobId, paymentId } = await paidJob(gw, d, 10000);
  for (const estado of ["EN_PROCESO", "COMPLETADO"]) {
    const res = await gw.json("PUT", `${V}/chat_ofertas/trabajos/${jobId}`, {
      token: d.pro.token,
      body: { estado },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
  const disputa = await openDispute(gw, d.client.token, jobId);
  assert.equal(disputa.status, 201, JSON.stringify(disputa.body));
  const res = await gw.json("POST", `${V}/admin/disputas/${disputa.body.id}/resolver`, {
    token: admin.token,
    body: { resolucion: "REEMBOLSO_PARCIAL", monto_reembolso: 2500.5, nota: "Faltó una parte" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.monto_reembolso, 2500.5);
  await assertRefunded(jobId, paymentId, 2500.5);
  const payment = (await standIn("payments")).find((p) => String(p.id) === paymentId);
  assert.equal(payment.transaction_amount_refunded, 2500.5);
  const kinds = await testSql()`select tipo from public.ledger_asientos where trabajo_id = ${jobId}
    order by tipo`;
  assert.deepEqual(kinds.map((k) => k.tipo), ["COBRO", "LIBERACION", "REEMBOLSO"]);
  const [{ pro }] = await testSql()`select coalesce(sum(haber - debe), 0)::float8 as pro
    from public.ledger_movimientos where trabajo_id = ${jobId} and cuenta = 'profesional'`;
  assert.equal(pro, 5999.6); // (10000 − 2500.50) minus 20 %
});

it("cancelled after payment: MercadoPago refunds the whole payment once, the escrow empties", async () => {
  const gw = await paymentsApi();
  const d = await deal(gw);
  const { jobId, paymentId } = await paidJob(gw, d, 7300);
  const res = await gw.json("POST", `${V}/chat_ofertas/trabajos/${jobId}/cancelar`, {
    token: d.client.token,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const state = await jobState(jobId);
  assert.deepEqual([state.estado, state.estado_escrow], ["CANCELADO", "CANCELADO_REEMBOLSADO"]);
  await assertRefunded(jobId, paymentId, 7300);
  const payment = (await standIn("payments")).find((p) => String(p.id) === paymentId);
  assert.equal(payment.status, "refunded");
  assert.equal(payment.transaction_amount_refunded, 7300);
  const kinds = await testSql()`select tipo from public.ledger_asientos where trabajo_id = ${jobId}
    order by tipo`;
  assert.deepEqual(kinds.map((k) => k.tipo), ["COBRO", "REEMBOLSO"]);
  // A second cancellation changes nothing.
  const again = await gw.json("POST", `${V}/chat_ofertas/trabajos/${jobId}/cancelar`, {
    token: d.client.token,
  });
  assert.equal(again.status, 400);
});
