// The marketplace's invariants (tests/support/invariants.ts → public.invariant_violations()) hold
// after a whole flow, and each check really catches what it is for: a violation planted in a
// transaction that is rolled back, so no other test file ever sees it.
import assert from "node:assert/strict";
import type postgres from "postgres";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { type Check, CHECKS, invariantViolations, settledViolations } from "../support/invariants.ts";
import { paymentsApi } from "../payments/helpers.ts";
import { marketplaceFlow } from "./flow.ts";

let flow: ReturnType<typeof marketplaceFlow> | null = null;
const theFlow = async () => await (flow ??= paymentsApi().then(marketplaceFlow));

it("after a whole marketplace flow every invariant holds for its rows", async () => {
  const f = await theFlow();
  assert.deepEqual(await settledViolations(testSql(), { refs: f.refs }), []);
  // The checks did look at these rows: the flow left the data each of them reads.
  const [seen] = await testSql()`select
      (select count(*)::int from public.ledger_asientos where trabajo_id = ${f.jobId}) as asientos,
      (select count(*)::int from public.notifications where usuario_id = ${f.pro.id}) as notificaciones,
      (select total_resenas from public.profesionales where id = ${f.pro.profesionalId}) as resenas,
      (select count(*)::int from public.inbox i join public.outbox o on o.id = i.event_id
        where o.aggregate_id = ${f.jobId}) as entregas`;
  assert.equal(seen.asientos, 2); // COBRO and LIBERACION
  assert.ok(seen.notificaciones >= 4);
  assert.equal(seen.resenas, 1);
  assert.ok(seen.entregas > 0);
});

type Plant = (
  tx: postgres.TransactionSql,
  f: Awaited<ReturnType<typeof marketplaceFlow>>,
) => Promise<unknown>;

const ROLLBACK = new Error("rolled back on purpose");

/** What `check` reports for the flow's rows once `plant` ran, in a transaction that never commits. */
async function plantedViolations(check: Check, plant: Plant): Promise<string[]> {
  const f = await theFlow();
  assert.deepEqual(await settledViolations(testSql(), { refs: f.refs }), []);
  let found: string[] = [];
  let elsewhere: unknown[] = [];
  await testSql().begin(async (tx) => {
    await plant(tx, f);
    const all = await invariantViolations(tx, { refs: f.refs, graceSeconds: 0 });
    found = all.filter((v) => v.invariante === check).map((v) => v.problema);
    // Scoped: somebody else's ids do not see it.
    elsewhere = await invariantViolations(tx, { refs: [crypto.randomUUID()], graceSeconds: 0 });
    throw ROLLBACK;
  }).catch((error) => {
    if (error !== ROLLBACK) throw error;
  });
  assert.deepEqual(elsewhere, []);
  return found;
}

const planted: Record<Check, { plant: Plant; expect: string[] }> = {
  ledger: {
    // A refund entry with a debit and no credit: unbalanced, and the escrow goes negative.
    plant: async (tx, f) => {
      const [a] = await tx`insert into public.ledger_asientos (tipo, trabajo_id, descripcion)
        values ('REEMBOLSO', ${f.jobId}, 'plantado') returning id`;
      await tx`insert into public.ledger_movimientos (asiento_id, cuenta, trabajo_id, debe)
        values (${a.id}, 'escrow', ${f.jobId}, 10)`;
    },
    expect: ["asiento desbalanceado", "escrow negativo", "escrow retenido en un trabajo cerrado"],
  },
  "one-applied-payment": {
    plant: (tx, f) => tx`update public.pagos set aplicado_at = null where trabajo_id = ${f.jobId}`,
    expect: ["trabajo pagado sin un único pago aplicado"],
  },
  "released-xor-refunded": {
    plant: (tx, f) =>
      tx`insert into public.reembolsos (trabajo_id, mp_payment_id, monto, motivo)
        values (${f.jobId}, 'SIM-PLANTADO', 25000, 'plantado')`,
    expect: ["trabajo liberado y reembolsado por completo"],
  },
  events: {
    // Published an hour ago, never received by its subscribers.
    plant: (tx, f) =>
      tx`insert into public.outbox (type, aggregate_id, producer, payload, status, published_at)
        values ('job.approved', ${f.jobId}, 'chat-offers', ${tx.json({ trabajo_id: f.jobId })},
          'published', now() - interval '1 hour')`,
    expect: [
      "evento publicado sin entregar a notifications",
      "evento publicado sin entregar a professionals",
    ],
  },
  notifications: {
    plant: async (tx, f) => {
      for (const eventId of [null, crypto.randomUUID()]) {
        await tx`insert into public.notifications (usuario_id, tipo, categoria, titulo, mensaje, event_id)
          values (${f.client.id}, 'PLANTADA', 'cuenta', 'Plantada', 'Sin evento', ${eventId})`;
      }
    },
    expect: ["notificación de un evento que notifications no recibió", "notificación sin evento"],
  },
  ratings: {
    plant: (tx, f) =>
      tx`update public.profesionales set total_resenas = 2, rating_promedio = 4.5
        where id = ${f.pro.profesionalId}`,
    expect: ["rating 4.50/2, reseñas 5.00/1"],
  },
  balances: {
    // A withdrawal beyond the balance (payout check) and a collection that disagrees with its payment.
    plant: async (tx, f) => {
      await tx`insert into public.retiros (usuario_id, monto, destino_tipo, destino, destino_mascara, titular)
        values (${f.pro.id}, 99999, 'ALIAS', 'plantado.alias', '**********lias', 'Pablo Plomero')`;
      await tx`update public.pagos set monto = monto + 1 where trabajo_id = ${f.jobId}`;
    },
    expect: ["cobro distinto del pago aplicado", "retiros pendientes mayores que el saldo"],
  },
};

for (const check of CHECKS) {
  it(`invariant "${check}" detects a planted violation`, async () => {
    const found = await plantedViolations(check, planted[check].plant);
    assert.deepEqual([...new Set(found)].sort(), planted[check].expect);
  });
}
