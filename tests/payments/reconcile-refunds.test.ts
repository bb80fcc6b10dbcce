// Lost webhooks (reconciliation), refunds requested by the jobs side (refund.requested → the
// stand-in's refunds API → REEMBOLSO entry), the admin's simulation and anomaly list.

import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import {
  anomalies,
  checkoutPath,
  clickPay,
  createJob,
  invariantViolations,
  jobState,
  openCheckout,
  paymentsApi,
  standIn,
  standInPayment,
  waitFor,
} from "./helpers.ts";

it("webhook lost → the reconciliation sweep pays the job, once", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(4321);
  const opened = await openCheckout(gateway, await checkoutPath(job.id, job.client.id));
  const prefId = new URL(opened.headers.get("location")!).searchParams.get("pref_id");
  const payment = await standInPayment({ preference_id: prefId }); // approved, nobody told
  assert.equal((await jobState(job.id)).estado, "PENDIENTE_PAGO");

  const denied = await gateway.json("POST", "/api/v1/payments/reconcile");
  assert.equal(denied.status, 401);
  const wrong = await gateway.json("POST", "/payments/reconcile", {
    headers: { authorization: "Bearer nope" },
  });
  assert.equal(wrong.status, 401);

  const auth = { authorization: `Bearer ${testEnv().RELAY_SWEEP_SECRET}` };
  const run = await gateway.json("POST", "/api/v1/payments/reconcile", { headers: auth });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  assert.ok(run.body.revisados >= 1);
  const state = await jobState(job.id);
  assert.deepEqual([state.estado, state.mercadopago_payment_id, state.cobros, state.aplicados], [
    "PAGADO",
    String(payment.id),
    1,
    1,
  ]);
  // Twice at once, and again: nothing more.
  await Promise.all([1, 2].map(() => gateway.json("POST", "/payments/reconcile", { headers: auth })));
  assert.equal((await jobState(job.id)).cobros, 1);
  const [{ origen }] = await testSql()`select payload->>'origen' as origen from public.outbox
    where aggregate_id = ${job.id} and type = 'payment.approved'`;
  assert.equal(origen, "conciliacion");
  assert.deepEqual(await invariantViolations(job.id), []);
});

it("webhook lost for a payment approved after its job was cancelled → reconciliation finds it and it is returned", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(2100);
  const opened = await openCheckout(gateway, await checkoutPath(job.id, job.client.id));
  const prefId = new URL(opened.headers.get("location")!).searchParams.get("pref_id");
  await testSql()`update public.trabajos set estado = 'CANCELADO', estado_escrow = 'CANCELADO_REEMBOLSADO',
    fecha_cancelacion = now() where id = ${job.id}`;
  const payment = await standInPayment({ preference_id: prefId }); // approved, nobody told
  const auth = { authorization: `Bearer ${testEnv().RELAY_SWEEP_SECRET}` };
  // Other tests' jobs share the pass: run it until this job's turn came (least recently re-read first).
  const found = await waitFor(
    async () => {
      const run = await gateway.json("POST", "/api/v1/payments/reconcile", { headers: auth });
      assert.equal(run.status, 200, JSON.stringify(run.body));
      const [row] = await testSql()`select 1 from public.pagos where mp_payment_id = ${String(payment.id)}`;
      return row;
    },
    15_000,
    200,
  );
  assert.ok(found);
  assert.deepEqual(await anomalies(job.id), [{ tipo: "PAGO_TARDIO", mp_payment_id: String(payment.id) }]);
  const done = await waitFor(async () => {
    const [row] = await testSql()`select monto::float8 as monto from public.devoluciones
      where mp_payment_id = ${String(payment.id)} and estado = 'COMPLETADO'`;
    return row;
  }, 15_000);
  assert.equal(done.monto, 2100);
  const [pref] =
    await testSql()`select conciliada_at from public.pago_preferencias where trabajo_id = ${job.id}`;
  assert.ok(pref.conciliada_at, "the job moves to the back of the rotation");
  const state = await jobState(job.id);
  assert.deepEqual([state.estado, state.cobros, state.aplicados], ["CANCELADO", 0, 0]);
  assert.deepEqual(await invariantViolations(job.id), []);
});

it("webhook lost for a second payment of a paid job → reconciliation finds it and it is returned, the first kept", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(1800);
  const opened = await openCheckout(gateway, await checkoutPath(job.id, job.client.id));
  const prefId = new URL(opened.headers.get("location")!).searchParams.get("pref_id");
  const first = await standInPayment({ preference_id: prefId });
  const auth = { authorization: `Bearer ${testEnv().RELAY_SWEEP_SECRET}` };
  const reconcile = async () => {
    const run = await gateway.json("POST", "/api/v1/payments/reconcile", { headers: auth });
    assert.equal(run.status, 200, JSON.stringify(run.body));
  };
  await waitFor(
    async () => {
      await reconcile();
      return (await jobState(job.id)).estado === "PAGADO";
    },
    15_000,
    200,
  );
  const second = await standInPayment({ preference_id: prefId }); // paid twice, nobody told
  const done = await waitFor(
    async () => {
      await reconcile();
      const [row] = await testSql()`select monto::float8 as monto, motivo from public.devoluciones
      where mp_payment_id = ${String(second.id)} and estado = 'COMPLETADO'`;
      return row;
    },
    20_000,
    200,
  );
  assert.equal(done.monto, 1800);
  assert.equal(done.motivo, "El trabajo ya estaba pagado con otro pago");
  const state = await jobState(job.id);
  assert.deepEqual([state.estado, state.mercadopago_payment_id, state.saldo, state.aplicados], [
    "PAGADO",
    String(first.id),
    1800,
    1,
  ]);
  assert.deepEqual(await invariantViolations(job.id), []);
});

it("refund.requested → MercadoPago refunds once → REEMBOLSO entry and the refund COMPLETADO", async () => {
  const gateway = await paymentsApi();
  const job = await createJob(6000);
  const opened = await openCheckout(gateway, await checkoutPath(job.id, job.client.id));
  const paymentId = (await clickPay(opened.headers.get("location")!)).searchParams.get("payment_id")!;
  await waitFor(async () => (await jobState(job.id)).estado === "PAGADO");

  // The jobs side's cancellation: its transition calls escrow_solicitar_reembolso (emits the event).
  const [requested] = await testSql().begin(async (tx) => {
    await tx`update public.trabajos set estado = 'CANCELADO', estado_escrow = 'CANCELADO_REEMBOLSADO'
      where id = ${job.id}`;
    return await tx`select reembolso_id from public.escrow_solicitar_reembolso(${job.id}, null, 'Cancelado')`;
  });
  const refund = await waitFor(async () => {
    const [row] = await testSql()`select estado, mp_refund_id, monto::float8 from public.reembolsos
      where id = ${requested.reembolso_id} and estado = 'COMPLETADO'`;
    return row;
  }, 15_000);
  assert.equal(refund.monto, 6000);
  const refunds = (await standIn("refunds")).filter((r) => String(r.payment_id) === paymentId);
  assert.equal(refunds.length, 1, "refunded once at MercadoPago");
  assert.equal(String(refunds[0].id), refund.mp_refund_id);
  assert.equal(refunds[0].amount, 6000);
  const state = await jobState(job.id);
  assert.equal(state.saldo, 0);
  const kinds =
    await testSql()`select tipo from public.ledger_asientos where trabajo_id = ${job.id} order by tipo`;
  assert.deepEqual(kinds.map((k) => k.tipo), ["COBRO", "REEMBOLSO"]);
  await waitFor(async () => {
    const [row] = await testSql()`select 1 from public.outbox where aggregate_id = ${job.id}
      and type = 'refund.completed'`;
    return row;
  });
  assert.deepEqual(await invariantViolations(job.id), []);
});

it("admin simular-pago goes through the real apply code; a second call is 400", async () => {
  const gateway = await paymentsApi();
  const admin = await createAccount("ADMIN");
  const job = await createJob(1500);
  const res = await gateway.json("POST", `/api/v1/admin/trabajo/${job.id}/simular-pago`, {
    token: admin.token,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.estado, "PAGADO");
  assert.equal(res.body.estado_escrow, "PAGADO_EN_ESCROW");
  assert.equal(res.body.precio_final, 1500);
  assert.match(res.body.mercadopago_payment_id, /^SIM-/);
  // The monolith's TrabajoRead fields, as every job path answers them.
  for (
    const key of ["servicio_instant_id", "monto_liberado", "fecha_creacion", "fecha_actualizacion", "chat_id"]
  ) {
    assert.ok(key in res.body, key);
  }
  assert.equal(res.body.precio, 1500);
  assert.equal(res.body.created_at, res.body.fecha_creacion);
  const state = await jobState(job.id);
  assert.deepEqual([state.cobros, state.aplicados, state.saldo], [1, 1, 1500]);
  const again = await gateway.json("POST", `/admin/trabajo/${job.id}/simular-pago`, { token: admin.token });
  assert.equal(again.status, 400);
  assert.equal(
    again.body.detail,
    "El trabajo debe estar en PENDIENTE_PAGO. Estado actual: PAGADO_EN_ESCROW (PAGADO)",
  );
  const missing = await gateway.json("POST", `/admin/trabajo/${crypto.randomUUID()}/simular-pago`, {
    token: admin.token,
  });
  assert.equal(missing.status, 404);
  const asClient = await gateway.json("POST", `/admin/trabajo/${job.id}/simular-pago`, {
    token: job.client.token,
  });
  assert.equal(asClient.status, 403);
  assert.deepEqual(await invariantViolations(job.id), []);
});

it("admins list anomalies, newest first and paginated; others may not", async () => {
  const gateway = await paymentsApi();
  const admin = await createAccount("ADMIN");
  const job = await createJob(100);
  const payment = await standInPayment({ external_reference: job.id, transaction_amount: 1 });
  const { signedWebhook } = await import("./helpers.ts");
  await signedWebhook(gateway, payment.id);
  assert.deepEqual((await anomalies(job.id)).map((a) => a.tipo), ["MONTO_DISTINTO"]);

  const page = await gateway.json("GET", "/api/v1/admin/pagos/anomalias?limit=200&tipo=MONTO_DISTINTO", {
    token: admin.token,
  });
  assert.equal(page.status, 200);
  assert.equal(page.body.limit, 100);
  const mine = page.body.items.find((a: { trabajo_id: string }) => a.trabajo_id === job.id);
  assert.equal(mine.tipo, "MONTO_DISTINTO");
  assert.equal(mine.detalle.esperado, 100);
  assert.equal(mine.detalle.monto, 1);
  assert.equal(typeof page.body.total, "number");
  const firstPage = await gateway.json("GET", "/admin/pagos/anomalias?limit=1&page=1", {
    token: admin.token,
  });
  assert.equal(firstPage.body.items.length, 1);
  assert.ok(firstPage.body.pages >= 1);
  assert.equal(
    (await gateway.json("GET", "/admin/pagos/anomalias", { token: job.client.token })).status,
    403,
  );
  assert.equal((await gateway.json("GET", "/admin/pagos/anomalias")).status, 401);
});
