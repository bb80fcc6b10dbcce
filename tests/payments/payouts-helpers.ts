// Fixtures for the payouts tests: jobs paid and released through the owners' SQL interface
// (trabajo_marcar_pagado, escrow_retener, escrow_liberar) in one test transaction — the state the
// webhook and the client's approval leave — a professional at a given level, bank accounts.

import { withCheckDigits } from "../../functions/payments/cbu.ts";
import { createAccount, type TestAccount, testSql } from "../support/accounts.ts";
import { insertPendingJob } from "../offers/helpers.ts";

export type Level = "BRONCE" | "PLATA" | "ORO" | "DIAMANTE";

/** A professional at `level` (their commission rate is that level's). */
export async function professionalAt(level: Level = "BRONCE"): Promise<TestAccount> {
  const pro = await createAccount("PROFESIONAL");
  await testSql()`update public.profesionales p
    set nivel = ${level}::public.professional_level,
      tasa_comision_actual = (select n.tasa_comision from public.niveles n where n.nivel = ${level}::public.professional_level)
    where p.usuario_id = ${pro.id}`;
  return pro;
}

/** A PENDIENTE_PAGO job of `price` between `client` and `pro` (offer accepted in a chat). */
export async function pendingJob(pro: TestAccount, price: number, client?: TestAccount) {
  client ??= await createAccount("CLIENTE", { nombre: "Carla", apellido: "Cliente" });
  const { jobId } = await insertPendingJob(client, pro, price, "Instalación de termotanque");
  return { id: jobId, client, pro, price };
}

/** The webhook's effect: job PAGADO / PAGADO_EN_ESCROW, one applied payment, COBRO in escrow. */
export async function paidJob(pro: TestAccount, price: number, client?: TestAccount) {
  const job = await pendingJob(pro, price, client);
  const paymentId = `TEST-${crypto.randomUUID()}`;
  await testSql().begin(async (tx) => {
    await tx`select * from public.trabajo_marcar_pagado(${job.id}, ${paymentId})`;
    await tx`insert into public.pagos (mp_payment_id, trabajo_id, external_reference, status, monto, aplicado_at,
        fecha_aprobacion)
      values (${paymentId}, ${job.id}, ${job.id}, 'approved', ${price}, now(), now())`;
    await tx`select public.escrow_retener(${job.id}, ${price}, ${paymentId})`;
  });
  return job;
}

/** The client's approval: escrow released at the professional's rate, job APROBADO / LIBERADO. */
export async function releasedJob(pro: TestAccount, price: number, client?: TestAccount) {
  const job = await paidJob(pro, price, client);
  const release = await testSql().begin(async (tx) => {
    const [r] = await tx`select * from public.escrow_liberar(${job.id})`;
    await tx`update public.trabajos set estado = 'APROBADO', estado_escrow = 'LIBERADO',
        comision_plataforma = ${r.comision}, monto_liberado = ${r.monto_liberado}, fecha_aprobacion = now()
      where id = ${job.id}`;
    return r;
  });
  return { ...job, net: Number(release.monto_liberado), commission: Number(release.comision) };
}

/** A valid CBU (BCRA check digits) unique enough for a test. */
export function testCbu(): string {
  const account = String(Math.floor(Math.random() * 1e13)).padStart(13, "0");
  return withCheckDigits("2850590", account);
}

/** Ledger and payout invariants that do not hold (both lists empty = sound). */
export async function violations() {
  const sql = testSql();
  const ledger = await sql`select * from public.ledger_invariant_violations()`;
  const payouts = await sql`select * from public.payout_invariant_violations()`;
  return [...ledger, ...payouts].map((r) => `${r.problema}: ${r.referencia}`);
}

/** Only the violations about these people or jobs (other test files run in parallel). */
export async function violationsOf(refs: string[]) {
  return (await violations()).filter((v) => refs.some((ref) => v.endsWith(ref)));
}
