// End to end through the gateway and the MercadoPago stand-in: the signed payment_url → 302 to the
// stand-in's checkout → "Pagar" → signed webhook (to the functions host's gateway) → job PAGADO
// with a COBRO → release (the jobs side's call, made here in a test transaction) → ledger sound.

import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import {
  checkoutPath,
  clickPay,
  createJob,
  invariantViolations,
  jobState,
  openCheckout,
  paymentsApi,
  standIn,
  waitFor,
} from "./helpers.ts";

it("payment_url → MercadoPago checkout → Pagar → webhook → PAGADO with the money held, then released", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(15000.5);
  const path = await checkoutPath(job.id, job.client.id);

  const first = await openCheckout(gateway, path);
  assert.equal(first.status, 302);
  const initPoint = first.headers.get("location")!;
  assert.ok(
    initPoint.startsWith(`${testEnv().MERCADOPAGO_BASE_URL}/checkout/v1/redirect?pref_id=`),
    initPoint,
  );
  // Reused, also through the bare path and Supabase's gateway path.
  for (const prefix of ["", "/api/v1"]) {
    const again = await openCheckout(gateway, await checkoutPath(job.id, job.client.id, { prefix }));
    assert.equal(again.headers.get("location"), initPoint);
  }
  const prefs = (await standIn("preferences")).filter((p) => p.external_reference === job.id);
  assert.equal(prefs.length, 1, "one preference per job");
  assert.equal(prefs[0].items[0].unit_price, 15000.5);
  assert.equal(
    prefs[0].notification_url,
    `${testEnv().FUNCTIONS_PUBLIC_URL}/gateway/api/v1/webhook/mercadopago`,
  );
  assert.equal(prefs[0].back_urls.success, "http://localhost:3000/payment/success");
  assert.equal(prefs[0].expires, true);
  assert.ok(prefs[0].expiration_date_to, "the checkout closes at the payment deadline");
  assert.equal(
    prefs[0].date_of_expiration,
    prefs[0].expiration_date_to,
    "and so do cash tickets made from it",
  );
  const [stored] = await testSql()`select preference_id, monto::float8 from public.pago_preferencias
    where trabajo_id = ${job.id}`;
  assert.deepEqual({ ...stored }, { preference_id: prefs[0].id, monto: 15000.5 });

  const back = await clickPay(initPoint);
  assert.equal(`${back.origin}${back.pathname}`, "http://localhost:3000/payment/success");
  const paymentId = back.searchParams.get("payment_id")!;
  const paid = await waitFor(async () => {
    const state = await jobState(job.id);
    return state.estado === "PAGADO" ? state : null;
  });
  assert.deepEqual(paid, {
    estado: "PAGADO",
    estado_escrow: "PAGADO_EN_ESCROW",
    mercadopago_payment_id: paymentId,
    saldo: 15000.5,
    cobros: 1,
    pagos: 1,
    aplicados: 1,
  });
  // Both come from one transaction (same created_at), so compare them as a set, each exactly once.
  const events = await testSql()`select type from public.outbox where aggregate_id = ${job.id}`;
  assert.deepEqual(
    events.map((e) => e.type).filter((t) => t.startsWith("payment.") || t === "job.paid").sort(),
    ["job.paid", "payment.approved"],
  );

  // Paid: the link now leads to the success page, not to a second payment.
  const after = await openCheckout(gateway, path);
  assert.equal(after.status, 302);
  assert.equal(after.headers.get("location"), "http://localhost:3000/payment/success");

  // Approval is the jobs side: its transition calls escrow_liberar in its transaction.
  const [{ tasa_comision_actual }] = await testSql()`
    select tasa_comision_actual::float8 from public.profesionales where usuario_id = ${job.pro.id}`;
  const [released] = await testSql().begin(async (tx) => {
    await tx`update public.trabajos set estado = 'APROBADO', estado_escrow = 'LIBERADO' where id = ${job.id}`;
    return await tx`select monto_liberado::float8, comision::float8 from public.escrow_liberar(${job.id})`;
  });
  const commission = Math.round(15000.5 * tasa_comision_actual * 100) / 100;
  assert.deepEqual({ ...released }, { monto_liberado: 15000.5 - commission, comision: commission });
  const balances = await testSql()`
    select cuenta, sum(haber - debe)::float8 as saldo from public.ledger_movimientos
    where trabajo_id = ${job.id} group by cuenta order by cuenta`;
  assert.deepEqual(balances.map((b) => [b.cuenta, b.saldo]), [
    ["comisiones", commission],
    ["escrow", 0],
    ["mp_cobros", -15000.5],
    ["profesional", 15000.5 - commission],
  ]);
  assert.deepEqual(await invariantViolations(job.id), []);
});

it("Rechazar records a rejected payment (payment.rejected) and the job stays payable", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(900);
  const opened = await openCheckout(gateway, await checkoutPath(job.id, job.client.id));
  const back = await clickPay(opened.headers.get("location")!, "reject");
  assert.equal(`${back.origin}${back.pathname}`, "http://localhost:3000/payment/failure");
  const event = await waitFor(async () => {
    const [row] = await testSql()`select payload from public.outbox
      where aggregate_id = ${job.id} and type = 'payment.rejected'`;
    return row;
  });
  assert.equal(event.payload.cliente_id, job.client.id);
  const state = await jobState(job.id);
  assert.deepEqual([state.estado, state.pagos, state.aplicados, state.cobros], ["PENDIENTE_PAGO", 1, 0, 0]);
  // Still payable: the same checkout opens again.
  assert.equal((await openCheckout(gateway, await checkoutPath(job.id, job.client.id))).status, 302);
});

it("POST /pagos/crear-pago answers the job's preference to its client only", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(1200);
  const res = await gateway.json("POST", "/api/v1/pagos/crear-pago", {
    token: job.client.token,
    body: { trabajo_id: job.id, monto: 1, metodo_pago: "mercadopago" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.trabajo_id, job.id);
  assert.equal(res.body.payment_url, res.body.init_point);
  const opened = await openCheckout(gateway, await checkoutPath(job.id, job.client.id));
  assert.equal(opened.headers.get("location"), res.body.init_point, "the same preference");
  const pref = (await standIn("preferences")).find((p) => p.id === res.body.preference_id);
  assert.equal(pref.items[0].unit_price, 1200, "the amount comes from the job, not the request");

  const asPro = await gateway.json("POST", "/pagos/crear-pago", {
    token: job.pro.token,
    body: { trabajo_id: job.id },
  });
  assert.equal(asPro.status, 403);
  const stranger = await createJob(10);
  const other = await gateway.json("POST", "/pagos/crear-pago", {
    token: stranger.client.token,
    body: { trabajo_id: job.id },
  });
  assert.equal(other.status, 404);
  const bad = await gateway.json("POST", "/pagos/crear-pago", {
    token: job.client.token,
    body: { trabajo_id: "x" },
  });
  assert.equal(bad.status, 422);
});
