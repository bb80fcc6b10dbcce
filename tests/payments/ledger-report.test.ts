// The ledger-vs-MercadoPago report of the reconciliation pass (CONCILIACION anomalies), and the
// admin closing an anomaly (`POST /admin/pagos/anomalias/{id}/resolver`), its RLS included.

import assert from "node:assert/strict";
import { refundPayment } from "../../functions/payments/mercadopago.ts";
import { paymentSettings } from "../../functions/payments/settings.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { it, testConfig, testEnv } from "../support/env.ts";
import type { TestApi } from "../support/gateway.ts";
import { asAuth, rlsDb, sqlState } from "../support/rls.ts";
import {
  anomalies,
  checkoutPath,
  clickPay,
  createJob,
  jobState,
  openCheckout,
  paymentsApi,
  waitFor,
} from "./helpers.ts";

const auth = () => ({ authorization: `Bearer ${testEnv().RELAY_SWEEP_SECRET}` });
const db = rlsDb("payments-ledger-report-test");

/** A job paid on the stand-in's checkout page (signed webhook). Its MercadoPago payment id. */
async function paid(gateway: TestApi, price: number) {
  const job = await createJob(price);
  const opened = await openCheckout(gateway, await checkoutPath(job.id, job.client.id));
  const paymentId = (await clickPay(opened.headers.get("location")!)).searchParams.get("payment_id")!;
  await waitFor(async () => (await jobState(job.id)).estado === "PAGADO");
  return { job, paymentId };
}

const recheck = (gateway: TestApi, jobId: string) =>
  gateway.json("POST", `/api/v1/payments/reconcile/trabajos/${jobId}`, { headers: auth() });

async function conciliacion(jobId: string) {
  return await testSql()`select id, estado, detalle from public.pago_anomalias
    where trabajo_id = ${jobId} and tipo = 'CONCILIACION' order by created_at`;
}

it("ledger and MercadoPago agree → nothing; a refund made on MercadoPago's side → one CONCILIACION case", async () => {
  const gateway = await paymentsApi();
  const { job, paymentId } = await paid(gateway, 5000);
  const path = `/api/v1/payments/reconcile/trabajos/${job.id}`;
  assert.equal((await gateway.json("POST", path)).status, 401);
  assert.equal((await gateway.json("POST", path, { token: job.client.token })).status, 401);
  const bad = await gateway.json("POST", "/payments/reconcile/trabajos/nope", { headers: auth() });
  assert.equal(bad.status, 404);
  const clean = await recheck(gateway, job.id);
  assert.equal(clean.status, 200, JSON.stringify(clean.body));
  assert.deepEqual([clean.body.revisados, clean.body.conciliados, clean.body.discrepancias], [0, 1, 0]);
  assert.deepEqual(await anomalies(job.id), []);
  const [{ conciliado_at }] = await testSql()`select conciliado_at from public.pagos
    where mp_payment_id = ${paymentId}`;
  assert.ok(conciliado_at, "the comparison is remembered (rotation)");

  // Someone refunds 1200 on MercadoPago's site: our ledger still holds all of it.
  await refundPayment(paymentSettings(testConfig()).client!, {
    paymentId,
    amount: 1200,
    idempotencyKey: `external:${paymentId}`,
  });
  const found = await recheck(gateway, job.id);
  assert.deepEqual([found.body.conciliados, found.body.discrepancias], [1, 1]);
  const [c] = await conciliacion(job.id);
  assert.equal(c.estado, "ABIERTA");
  assert.deepEqual(c.detalle.problemas, ["monto reembolsado distinto"]);
  assert.deepEqual(c.detalle.mercadopago, { status: "approved", monto: 5000, monto_reembolsado: 1200 });
  assert.deepEqual(c.detalle.libro, { cobrado: 5000, reembolsado: 0, en_curso: 0 });
  // Seen again: still one case; nothing was booked.
  await recheck(gateway, job.id);
  assert.equal((await conciliacion(job.id)).length, 1);
  assert.equal((await jobState(job.id)).saldo, 5000);
  const [{ n }] = await testSql()`select count(*)::int as n from public.ledger_asientos
    where trabajo_id = ${job.id}`;
  assert.equal(n, 1, "the report never corrects the ledger");

  // Closed by an admin, the same discrepancy is not reopened by the next pass.
  const admin = await createAccount("ADMIN");
  const closed = await gateway.json("POST", `/api/v1/admin/pagos/anomalias/${c.id}/resolver`, {
    token: admin.token,
    body: { nota: "Reembolso hecho a mano en MercadoPago; se ajusta aparte" },
  });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  await recheck(gateway, job.id);
  assert.deepEqual((await conciliacion(job.id)).map((a) => a.estado), ["RESUELTA"]);
});

it("a payment our ledger applied but MercadoPago does not know is a discrepancy; the sweep skips fresh payments", async () => {
  const gateway = await paymentsApi({ PAYMENTS_RECONCILE_BATCH_SIZE: "1000" });
  const job = await createJob(900);
  const mpId = "7" + String(Date.now()).slice(-11); // numeric like MercadoPago's, unknown to it
  await testSql().begin(async (tx) => {
    await tx`insert into public.pagos (mp_payment_id, trabajo_id, external_reference, status, monto, aplicado_at)
      values (${mpId}, ${job.id}, ${job.id}, 'approved', 900, now())`;
    await tx`select * from public.trabajo_marcar_pagado(${job.id}, ${mpId})`;
    await tx`select public.escrow_retener(${job.id}, 900, ${mpId})`;
  });
  // The scheduled pass leaves payments younger than PAYMENTS_LEDGER_CHECK_MIN_AGE_SECONDS alone…
  const sweep = await gateway.json("POST", "/payments/reconcile", { headers: auth() });
  assert.equal(sweep.status, 200, JSON.stringify(sweep.body));
  const seen = async () =>
    (await testSql()`select conciliado_at from public.pagos where mp_payment_id = ${mpId}`)[0].conciliado_at;
  assert.equal(await seen(), null);
  // …and compares them once settled.
  await testSql()`update public.pagos set aplicado_at = now() - interval '1 hour' where mp_payment_id = ${mpId}`;
  const later = await gateway.json("POST", "/payments/reconcile", { headers: auth() });
  assert.ok(later.body.conciliados >= 1, JSON.stringify(later.body));
  assert.ok(await seen());
  const [c] = await conciliacion(job.id);
  assert.deepEqual(c.detalle.problemas, ["MercadoPago no conoce el pago"]);
  assert.equal(c.detalle.mercadopago, null);
});

it("resolver: admins close an open anomaly once (400 after), with who and a note; others may not", async () => {
  const gateway = await paymentsApi();
  const [admin, other] = await Promise.all([createAccount("ADMIN"), createAccount("CLIENTE")]);
  const job = await createJob(300);
  const [{ id }] =
    await testSql()`insert into public.pago_anomalias (tipo, mp_payment_id, trabajo_id, detalle)
    values ('CONCILIACION', ${`X-${crypto.randomUUID()}`}, ${job.id}, '{"problemas": []}') returning id`;
  const path = `/api/v1/admin/pagos/anomalias/${id}/resolver`;
  const body = { nota: "  Revisado con MercadoPago  " };
  assert.equal((await gateway.json("POST", path, { body })).status, 401);
  for (const who of [other, job.client, job.pro]) {
    assert.equal((await gateway.json("POST", path, { token: who.token, body })).status, 403);
  }
  assert.equal((await gateway.json("POST", path, { token: admin.token, body: { nota: "" } })).status, 422);
  assert.equal((await gateway.json("POST", path, { token: admin.token, body: {} })).status, 422);
  const missing = await gateway.json("POST", `/admin/pagos/anomalias/${crypto.randomUUID()}/resolver`, {
    token: admin.token,
    body,
  });
  assert.equal(missing.status, 404);
  assert.equal(
    (await gateway.json("POST", "/admin/pagos/anomalias/nope/resolver", { token: admin.token, body })).status,
    404,
  );

  const [first, second] = await Promise.all([
    gateway.json("POST", path, { token: admin.token, body }),
    gateway.json("POST", path, { token: admin.token, body }),
  ]);
  assert.deepEqual([first.status, second.status].sort(), [200, 400]);
  const ok = first.status === 200 ? first : second;
  const refused = first.status === 200 ? second : first;
  assert.equal(refused.body.detail, "La anomalía ya está resuelta");
  assert.equal(ok.body.estado, "RESUELTA");
  assert.equal(ok.body.resuelta_por, admin.id);
  assert.equal(ok.body.nota_resolucion, "Revisado con MercadoPago");
  assert.ok(Date.parse(ok.body.resuelta_at) > Date.now() - 60_000);
  const again = await gateway.json("POST", path, { token: admin.token, body });
  assert.equal(again.status, 400);
  const listed = await gateway.json(
    "GET",
    "/admin/pagos/anomalias?estado=RESUELTA&tipo=CONCILIACION&limit=100",
    {
      token: admin.token,
    },
  );
  const item = listed.body.items.find((a: { id: string }) => a.id === id);
  assert.equal(item.nota_resolucion, "Revisado con MercadoPago");
});

it("RLS: only admins update anomalies, and only the resolution columns", async () => {
  const [admin, client] = await Promise.all([createAccount("ADMIN"), createAccount("CLIENTE")]);
  const job = await createJob(200);
  const [{ id }] = await testSql()`insert into public.pago_anomalias (tipo, mp_payment_id, trabajo_id)
    values ('PAGO_TARDIO', ${`X-${crypto.randomUUID()}`}, ${job.id}) returning id`;
  for (const who of [client, job.client, job.pro]) {
    const rows = await db.asUser(
      asAuth(who),
      (tx) =>
        tx`update public.pago_anomalias set estado = 'RESUELTA', resuelta_at = now() where id = ${id} returning id`,
    );
    assert.equal(rows.length, 0, "not theirs to close");
  }
  assert.equal(
    await sqlState(db.asUser(asAuth(admin), (tx) =>
      tx`update public.pago_anomalias set tipo = 'CONCILIACION'
      where id = ${id}`)),
    "42501",
  );
  assert.equal(
    await sqlState(db.asUser(asAuth(admin), (tx) =>
      tx`update public.pago_anomalias set estado = 'RESUELTA'
      where id = ${id}`)),
    "23514",
    "RESUELTA needs resuelta_at",
  );
  const done = await db.asUser(
    asAuth(admin),
    (tx) =>
      tx`update public.pago_anomalias set estado = 'RESUELTA', resuelta_at = now() where id = ${id} returning id`,
  );
  assert.equal(done.length, 1);
  assert.equal(
    await sqlState(db.asAnon((tx) => tx`update public.pago_anomalias set estado = 'ABIERTA'`)),
    "42501",
  );
});
