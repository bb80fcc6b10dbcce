import { testSql } from "../support/accounts.ts";
import type { TestApi } from "../support/gateway.ts";
import { type Deal, job, pay } from "../offers/helpers.ts";

/**
 * Fixtures for the reviews tests: jobs taken through the real paths (accept → payment through
 * payments' SQL interface → the monolith's finalizar, which releases the escrow) so a review
 * meets a job exactly as the product leaves it.
 */
export async function approvedJob(gw: TestApi, d: Deal, precio = 10000): Promise<string> {
  const { trabajoId } = await job(gw, d, precio);
  await pay(trabajoId);
  const res = await gw.json("POST", `/api/v1/cliente/trabajo/${trabajoId}/finalizar`, {
    token: d.client.token,
  });
  if (res.status !== 200) throw new Error(`finalizar: ${res.status} ${JSON.stringify(res.body)}`);
  return trabajoId;
}

export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = await fn();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Moves the job's approval into the past (the review window's clock). */
export async function approvedDaysAgo(trabajoId: string, days: number) {
  await testSql()`update public.trabajos set fecha_aprobacion = now() - make_interval(days => ${days})
    where id = ${trabajoId}`;
}
