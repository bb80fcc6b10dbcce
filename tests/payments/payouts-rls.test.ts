// Row-level security of cuentas_bancarias and retiros, the payouts' SQL functions' grants, the
// new ledger policy (a professional reads the lines of their own jobs) and the CBU constraint.
import assert from "node:assert/strict";
import postgres from "postgres";
import { createAccount, type TestAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { asAuth, rlsDb, sqlState } from "../support/rls.ts";
import { professionalAt, releasedJob, testCbu } from "./payouts-helpers.ts";

const db = rlsDb("payouts-rls-test");
globalThis.addEventListener("unload", () => void db.close());

/** A professional with a released job, an account and a requested withdrawal. */
async function withWithdrawal() {
  const pro = await professionalAt("BRONCE");
  const job = await releasedJob(pro, 5000);
  await testSql()`insert into public.cuentas_bancarias (usuario_id, tipo, cbu, titular)
    values (${pro.id}, 'CBU', ${testCbu()}, 'Pablo Plomero')`;
  const [r] = await testSql()`select * from public.retiro_solicitar(${pro.id}, 1500, 1000)`;
  return { pro, job, retiroId: r.retiro_id as string };
}

it("a professional sees only their own bank account and withdrawals; an admin sees all; a client none", async () => {
  const [mine, theirs] = await Promise.all([withWithdrawal(), withWithdrawal()]);
  const ids = [mine.pro.id, theirs.pro.id];
  const read = (user: TestAccount) =>
    db.asUser(asAuth(user), async (tx) => ({
      cuentas: (await tx`select usuario_id from public.cuentas_bancarias where usuario_id in ${tx(ids)}`)
        .map((r) => r.usuario_id),
      retiros: (await tx`select usuario_id from public.retiros where usuario_id in ${tx(ids)}`).map((r) =>
        r.usuario_id
      ),
    }));
  assert.deepEqual(await read(mine.pro), { cuentas: [mine.pro.id], retiros: [mine.pro.id] });
  const admin = await read(await createAccount("ADMIN"));
  assert.deepEqual([admin.cuentas.length, admin.retiros.length], [2, 2]);
  assert.deepEqual(await read(await createAccount("CLIENTE")), { cuentas: [], retiros: [] });
  assert.equal(await sqlState(db.asAnon((tx) => tx`select 1 from public.cuentas_bancarias`)), "42501");
  assert.equal(await sqlState(db.asAnon((tx) => tx`select 1 from public.retiros`)), "42501");
});

it("API roles cannot write bank accounts or withdrawals, nor call the payout functions", async () => {
  const { pro, retiroId } = await withWithdrawal();
  const admin = await createAccount("ADMIN");
  const attempts = [
    (tx: postgres.TransactionSql) =>
      tx`insert into public.cuentas_bancarias (usuario_id, tipo, alias, titular) values (${pro.id}, 'ALIAS', 'otro.alias', 'X Y')`,
    (tx: postgres.TransactionSql) =>
      tx`update public.cuentas_bancarias set titular = 'Otro' where usuario_id = ${pro.id}`,
    (tx: postgres.TransactionSql) => tx`delete from public.cuentas_bancarias where usuario_id = ${pro.id}`,
    (tx: postgres.TransactionSql) =>
      tx`insert into public.retiros (usuario_id, monto, destino_tipo, destino, destino_mascara, titular)
        values (${pro.id}, 1, 'ALIAS', 'a.b.c.d', '**.d', 'X')`,
    (tx: postgres.TransactionSql) => tx`update public.retiros set estado = 'PAGADO' where id = ${retiroId}`,
    (tx: postgres.TransactionSql) => tx`select * from public.retiro_solicitar(${pro.id}, 1000, 0)`,
    (tx: postgres.TransactionSql) =>
      tx`select * from public.retiro_transicion(${retiroId}, 'APROBAR', ${admin.id})`,
    (tx: postgres.TransactionSql) => tx`select public.profesional_saldo(${pro.id})`,
    (tx: postgres.TransactionSql) => tx`select * from public.payout_invariant_violations()`,
  ];
  for (const user of [pro, admin]) {
    for (const attempt of attempts) assert.equal(await sqlState(db.asUser(asAuth(user), attempt)), "42501");
  }
  const [row] = await testSql()`select estado from public.retiros where id = ${retiroId}`;
  assert.equal(row.estado, "SOLICITADO");
});

it("a professional reads the ledger lines of their own jobs (gross, commission), not other people's", async () => {
  const [a, b] = await Promise.all([withWithdrawal(), withWithdrawal()]);
  const lines = await db.asUser(
    asAuth(a.pro),
    (tx) =>
      tx`select cuenta, trabajo_id from public.ledger_movimientos where trabajo_id in ${
        tx([a.job.id, b.job.id])
      }`,
  );
  assert.ok(lines.length >= 4);
  assert.ok(lines.every((l) => l.trabajo_id === a.job.id));
  assert.deepEqual([...new Set(lines.map((l) => l.cuenta))].sort(), [
    "comisiones",
    "escrow",
    "mp_cobros",
    "profesional",
  ]);
  const client = await db.asUser(
    asAuth(a.job.client),
    (tx) => tx`select 1 from public.ledger_movimientos where trabajo_id = ${a.job.id}`,
  );
  assert.equal(client.length, 0);
});

it("the database itself refuses a CBU with a wrong check digit or a malformed alias", async () => {
  const pro = await professionalAt();
  assert.equal(
    await sqlState(testSql()`insert into public.cuentas_bancarias (usuario_id, tipo, cbu, titular)
      values (${pro.id}, 'CBU', '2850590940090418135202', 'Pablo Plomero')`),
    "23514",
  );
  assert.equal(
    await sqlState(testSql()`insert into public.cuentas_bancarias (usuario_id, tipo, alias, titular)
      values (${pro.id}, 'ALIAS', 'no vale', 'Pablo Plomero')`),
    "23514",
  );
  const [ok] = await testSql()`select private.cbu_valido('2850590940090418135201') as a,
    private.cbu_valido('0000003110000000000014') as b, private.cbu_valido('2850590940090418135210') as c`;
  assert.deepEqual({ ...ok }, { a: true, b: true, c: false });
});
