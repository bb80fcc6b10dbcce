// Professionals' money through the gateway: balance after releases, withdrawals (request,
// approve, export, pay, reject), the available-balance lock under concurrency, and history.
import assert from "node:assert/strict";
import { createAccount, type TestAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { paidJob, professionalAt, releasedJob, testCbu, violationsOf } from "./payouts-helpers.ts";

const V = "/api/v1";

async function addAccount(pro: TestAccount, cbu = testCbu()) {
  const res = await (await api()).json("POST", `${V}/pagos/cuenta-bancaria`, {
    token: pro.token,
    body: { tipo_cuenta: "cbu", cbu, titular: "Pablo Plomero", banco: "Banco Macro" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return cbu;
}

const balanceOf = async (pro: TestAccount) =>
  (await (await api()).json("GET", `${V}/pagos/balance`, { token: pro.token })).body;

it("after a released job the balance is the price minus the commission of the professional's level", async () => {
  const pro = await professionalAt("ORO"); // 15 %
  const job = await releasedJob(pro, 20000);
  assert.equal(job.commission, 3000);
  await paidJob(pro, 5000.5); // paid, not released: pending
  const body = await balanceOf(pro);
  assert.deepEqual(body, {
    disponible: 17000,
    pendiente: 5000.5,
    total_ganado: 17000,
    total_comisiones: 3000,
    trabajos_completados: 1,
    saldo: 17000,
    en_retiros: 0,
  });
  const bronce = await professionalAt("BRONCE"); // 20 %
  await releasedJob(bronce, 12345.67);
  const b = await balanceOf(bronce);
  assert.equal(b.total_comisiones, 2469.13);
  assert.equal(b.disponible, 9876.54);
  assert.deepEqual(await violationsOf([pro.id, bronce.id, job.id]), []);
});

it("withdrawal: request → admin approves → CSV export → marks paid → balance 0, ledger sound, events", async () => {
  const a = await api();
  const admin = await createAccount("ADMIN");
  const pro = await professionalAt("DIAMANTE"); // 10 %
  const job = await releasedJob(pro, 10000);
  const cbu = await addAccount(pro);

  const req = await a.json("POST", `${V}/pagos/retiros`, { token: pro.token, body: { monto: 9000 } });
  assert.equal(req.status, 200, JSON.stringify(req.body));
  assert.equal(req.body.estado, "SOLICITADO");
  assert.equal(req.body.monto, 9000);
  assert.equal(req.body.cuenta_destino, "*".repeat(18) + cbu.slice(-4));
  const id = req.body.id;
  assert.equal((await balanceOf(pro)).disponible, 0);
  assert.equal((await balanceOf(pro)).en_retiros, 9000);
  const over = await a.json("POST", `${V}/pagos/retiros`, { token: pro.token, body: { monto: 1000 } });
  assert.equal(over.status, 400);
  assert.match(over.body.detail, /Saldo insuficiente/);

  const mine = await a.json("GET", `${V}/pagos/retiros`, { token: pro.token });
  assert.deepEqual(mine.body.items.map((r: { id: string }) => r.id), [id]);
  assert.equal(mine.body.total, 1);

  const early = await a.json("POST", `${V}/admin/pagos/retiros/${id}/pagar`, { token: admin.token });
  assert.equal(early.status, 400);
  assert.match(early.body.detail, /estado SOLICITADO/);

  const listed = await a.json("GET", `${V}/admin/pagos/retiros?estado=SOLICITADO&limit=100`, {
    token: admin.token,
  });
  const row = listed.body.items.find((r: { id: string }) => r.id === id);
  assert.equal(row.profesional_email, pro.email);

  const approved = await a.json("POST", `${V}/admin/pagos/retiros/${id}/aprobar`, { token: admin.token });
  assert.equal(approved.status, 200);
  assert.equal(approved.body.estado, "APROBADO");
  const again = await a.json("POST", `${V}/admin/pagos/retiros/${id}/aprobar`, { token: admin.token });
  assert.equal(again.status, 400);
  assert.match(again.body.detail, /estado APROBADO/);

  const csv = await a.fetch(`${V}/admin/pagos/retiros/export.csv`, {
    headers: { authorization: `Bearer ${admin.token}` },
  });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get("cache-control")!, /\bno-store\b/);
  assert.match(csv.headers.get("content-type")!, /^text\/csv/);
  const text = await csv.text();
  assert.match(text.split("\r\n")[0], /^retiro_id,tipo,cbu_cvu_alias,titular/);
  const line = text.split("\r\n").find((l) => l.includes(id))!;
  assert.ok(
    line.includes(`"${cbu}"`) && line.includes(`"9000.00"`) && line.includes(`"Pablo Plomero"`),
    line,
  );
  const forbidden = await a.fetch(`${V}/admin/pagos/retiros/export.csv`, {
    headers: { authorization: `Bearer ${pro.token}` },
  });
  assert.equal(forbidden.status, 403);
  await forbidden.body?.cancel();

  const paid = await a.json("POST", `${V}/admin/pagos/retiros/${id}/pagar`, {
    token: admin.token,
    body: { referencia: "TRF-123" },
  });
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  assert.equal(paid.body.estado, "PAGADO");
  assert.ok(paid.body.fecha_procesado);
  const twice = await a.json("POST", `${V}/admin/pagos/retiros/${id}/pagar`, { token: admin.token });
  assert.equal(twice.status, 400);
  assert.match(twice.body.detail, /estado PAGADO/);

  const after = await balanceOf(pro);
  assert.equal(after.saldo, 0);
  assert.equal(after.disponible, 0);
  assert.equal(after.total_ganado, 9000);
  const entries = await testSql()`select a.tipo, m.cuenta, m.debe, m.haber from public.ledger_asientos a
    join public.ledger_movimientos m on m.asiento_id = a.id where a.retiro_id = ${id} order by m.cuenta`;
  assert.deepEqual(entries.map((e) => [e.tipo, e.cuenta, Number(e.debe), Number(e.haber)]), [
    ["RETIRO", "mp_cobros", 0, 9000],
    ["RETIRO", "profesional", 9000, 0],
  ]);
  assert.deepEqual(await violationsOf([pro.id, job.id, id]), []);
  const events =
    await testSql()`select type, payload from public.outbox where aggregate_id = ${id} order by created_at`;
  assert.deepEqual(events.map((e) => e.type), ["payout.requested", "payout.approved", "payout.paid"]);
  assert.equal(events[0].payload.usuario_id, pro.id);
  assert.ok(
    !JSON.stringify(events.map((e) => e.payload)).includes(cbu),
    "events carry the masked account only",
  );
});

it("rejecting a withdrawal needs a reason and gives the money back; a rejected one cannot be paid", async () => {
  const a = await api();
  const admin = await createAccount("ADMIN");
  const pro = await professionalAt("BRONCE");
  await releasedJob(pro, 5000); // net 4000
  await addAccount(pro);
  const { body } = await a.json("POST", `${V}/pagos/retiros`, { token: pro.token, body: { monto: 4000 } });
  const path = `${V}/admin/pagos/retiros/${body.id}`;
  assert.equal((await a.json("POST", `${path}/rechazar`, { token: admin.token, body: {} })).status, 422);
  await a.json("POST", `${path}/aprobar`, { token: admin.token });
  const rejected = await a.json("POST", `${path}/rechazar`, {
    token: admin.token,
    body: { motivo: "El titular no coincide" },
  });
  assert.equal(rejected.status, 200);
  assert.equal(rejected.body.estado, "RECHAZADO");
  assert.equal(rejected.body.motivo_rechazo, "El titular no coincide");
  assert.equal((await balanceOf(pro)).disponible, 4000);
  const pay = await a.json("POST", `${path}/pagar`, { token: admin.token });
  assert.equal(pay.status, 400);
  assert.match(pay.body.detail, /estado RECHAZADO/);
  const unknown = await a.json("POST", `${V}/admin/pagos/retiros/${crypto.randomUUID()}/aprobar`, {
    token: admin.token,
  });
  assert.equal(unknown.status, 404);
  assert.equal(
    (await a.json("POST", `${V}/admin/pagos/retiros/nope/aprobar`, { token: admin.token })).status,
    404,
  );
  const [ev] = await testSql()`select payload from public.outbox where aggregate_id = ${body.id}
    and type = 'payout.rejected'`;
  assert.equal(ev.payload.motivo, "El titular no coincide");
});

it("concurrent withdrawals exceeding the balance: exactly the ones that fit succeed, the rest 400", async () => {
  const a = await api();
  const pro = await professionalAt("DIAMANTE");
  await releasedJob(pro, 10000); // net 9000
  await addAccount(pro);
  const attempts = await Promise.all(
    Array.from(
      { length: 8 },
      () => a.json("POST", `${V}/pagos/retiros`, { token: pro.token, body: { monto: 6000 } }),
    ),
  );
  assert.deepEqual(attempts.map((r) => r.status).sort(), [200, 400, 400, 400, 400, 400, 400, 400]);
  for (const r of attempts.filter((r) => r.status === 400)) assert.match(r.body.detail, /Saldo insuficiente/);

  const pro2 = await professionalAt("DIAMANTE");
  await releasedJob(pro2, 10000); // net 9000 → three of 2500 fit
  await addAccount(pro2);
  const many = await Promise.all(
    Array.from(
      { length: 10 },
      () => a.json("POST", `${V}/pagos/retiros`, { token: pro2.token, body: { monto: 2500 } }),
    ),
  );
  assert.equal(many.filter((r) => r.status === 200).length, 3);
  assert.equal(many.filter((r) => r.status === 400).length, 7);
  const b = await balanceOf(pro2);
  assert.equal(b.en_retiros, 7500);
  assert.equal(b.disponible, 1500);
  assert.deepEqual(await violationsOf([pro.id, pro2.id]), []);
});

it("withdrawal requests: account needed, minimum, amount format, professionals only", async () => {
  const a = await api();
  const pro = await professionalAt("BRONCE");
  await releasedJob(pro, 10000);
  // The monolith's free-text payout account is not a payout destination.
  const legacy = await a.json("PUT", `${V}/professional/payout-info`, {
    token: pro.token,
    body: { payout_account: "mi.alias.viejo" },
  });
  assert.equal(legacy.status, 200);
  const noAccount = await a.json("POST", `${V}/pagos/retiros`, { token: pro.token, body: { monto: 2000 } });
  assert.equal(noAccount.status, 400);
  assert.match(noAccount.body.detail, /Primero registrá una cuenta bancaria/);
  await addAccount(pro);
  const small = await a.json("POST", `${V}/pagos/retiros`, { token: pro.token, body: { monto: 999.99 } });
  assert.equal(small.status, 400);
  assert.equal(small.body.detail, "El monto mínimo de retiro es $1000.00");
  for (const monto of [-5, 0, "abc", 1000.001, null, 1e-20, "0x3e8"]) {
    const res = await a.json("POST", `${V}/pagos/retiros`, { token: pro.token, body: { monto } });
    assert.equal(res.status, 422, `monto ${monto}`);
  }
  assert.equal((await a.json("POST", `${V}/pagos/retiros`, { token: pro.token, body: {} })).status, 422);
  const ok = await a.json("POST", `${V}/pagos/retiros`, { token: pro.token, body: { monto: "1000.50" } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.monto, 1000.5);
  const client = await createAccount("CLIENTE");
  assert.equal(
    (await a.json("POST", `${V}/pagos/retiros`, { token: client.token, body: { monto: 1000 } })).status,
    403,
  );
  assert.equal((await a.json("GET", `${V}/pagos/balance`, { token: client.token })).status, 403);
  assert.equal((await a.json("GET", `${V}/pagos/balance`)).status, 401);
  assert.equal((await a.json("GET", `${V}/admin/pagos/retiros`, { token: pro.token })).status, 403);
});
