import { createAccount, testSql } from "../../tests/support/accounts.ts";
import { httpApi } from "../../tests/support/http-api.ts";
import {
  FLOW_STEPS,
  type FlowPair,
  type FlowStep,
  onboardPro,
  runFlow,
  signUp,
} from "../../tests/support/marketplace-flow.ts";
import { createTrade, isolatedPoint } from "../../tests/professionals/helpers.ts";
import { percentile, round } from "./measure.ts";
import { startFunctionProcess } from "./processes.ts";
import type { BenchContext, Benchmark } from "./types.ts";

/**
 * Whole marketplace flows through a gateway process of its own (webhooks reach the stack's
 * functions host, as in production they reach the deployed gateway): search → chat → offer →
 * accept → pay on the checkout page → complete → approve → review, each flow a fresh client of one
 * of 8 professionals. Flows per second and each step's p50/p95, one flow at a time and 8 in flight.
 *
 * Every account is signed up before the clock starts — register and login through the API, both
 * a password hash by design — and that cost is reported apart, so it neither hides nor inflates
 * the marketplace's own figures.
 */
export const flowsBenchmark: Benchmark = {
  name: "flows",
  async run(ctx) {
    const levels = ctx.quick ? [{ inFlight: 1, flows: 3 }, { inFlight: 8, flows: 16 }] : [
      { inFlight: 1, flows: 20 },
      { inFlight: 8, flows: 80 },
    ];
    const gateway = await startFunctionProcess(ctx.root, "gateway", {
      ...ctx.env,
      MERCADOPAGO_NOTIFICATION_URL: `${ctx.env.FUNCTIONS_PUBLIC_URL}/gateway/api/v1/webhook/mercadopago`,
    });
    const gw = httpApi(gateway.url);
    try {
      const clients = WARMUP + levels.reduce((n, l) => n + l.flows, 0);
      const pros = Math.max(...levels.map((l) => l.inFlight));
      ctx.log(`${clients} clients and ${pros} professionals sign up (register + login), 2 at a time`);
      const admin = await createAccount("ADMIN");
      const trade = await createTrade();
      const registerMs: number[] = [];
      const loginMs: number[] = [];
      const signUpStarted = performance.now();
      const signed = await pool(clients + pros, 2, async (i) => {
        const { account, ...ms } = i < pros
          ? await signUp(gw, "PROFESIONAL", trade.id)
          : await signUp(gw, "CLIENTE");
        registerMs.push(ms.registerMs);
        loginMs.push(ms.loginMs);
        return account;
      });
      const signUpS = (performance.now() - signUpStarted) / 1000;
      const team = await pool(
        pros,
        2,
        (i) => onboardPro(gw, signed[i], { oficioId: trade.id, at: isolatedPoint(), admin }),
      );
      // Flow i: a client of its own, one of the professionals (they serve several flows each).
      const pairs: FlowPair[] = signed.slice(pros).map((client, i) => ({ client, pro: team[i % pros] }));

      // Cold imports (MercadoPago SDK, firebase-admin) and pools warm up off the clock.
      for (const pair of pairs.splice(0, WARMUP)) await runFlow(gw, pair);

      const lines = [
        `sign-up, hashing included (register + login, 2 at a time): ${registerMs.length} accounts in ` +
        `${round(signUpS, 1)} s`,
        stats("POST /auth/register", registerMs),
        stats("POST /auth/login", loginMs),
      ];
      ctx.figure({
        kind: "latency",
        title: "Sign-up: each call hashes a password (reported apart from the flows)",
        unit: "ms",
        series: { "POST /auth/register": registerMs, "POST /auth/login": loginMs },
      });

      const measured: { inFlight: number; perSecond: number; flowMs: number[] }[] = [];
      for (const level of levels) {
        ctx.log(`${level.flows} flows, ${level.inFlight} in flight`);
        const batch = pairs.splice(0, level.flows);
        const result = await runLevel(gw, batch, level.inFlight);
        await expectApproved(result.jobIds);
        measured.push({ inFlight: level.inFlight, perSecond: result.perSecond, flowMs: result.flowMs });
        lines.push(
          `${level.flows} flows, ${level.inFlight} in flight: ${round(result.perSecond, 2)} flows/s ` +
            `(search → chat → offer → accept → pay → complete → approve → review)`,
          stats("  whole flow", result.flowMs),
          ...FLOW_STEPS.map((s) => stats(`  ${s}`, result.steps[s])),
        );
        recordLevel(ctx, level.inFlight, result);
      }
      const [alone, loaded] = measured;
      const speedUp = loaded.perSecond / alone.perSecond;
      const slowDown = percentile(sorted(loaded.flowMs), 0.5) / percentile(sorted(alone.flowMs), 0.5);
      lines.push(
        `${loaded.inFlight} in flight vs 1: ×${round(speedUp, 2)} flows/s, ` +
          `×${round(slowDown, 2)} the p50 time of one flow (${navigator.hardwareConcurrency} cores)`,
      );
      ctx.figure({
        kind: "ratio",
        title: `flows/s, ${loaded.inFlight} in flight ÷ 1 at a time`,
        value: round(speedUp, 2),
        better: "higher",
      });
      ctx.figure({
        kind: "ratio",
        title: `flow p50, ${loaded.inFlight} in flight ÷ alone`,
        value: round(slowDown, 2),
        floor: 1,
        better: "lower",
      });
      return lines;
    } finally {
      await gateway.stop();
    }
  },
};

/** Flows run off the clock first (cold imports, pools). */
const WARMUP = 2;

async function runLevel(gw: ReturnType<typeof httpApi>, pairs: FlowPair[], inFlight: number) {
  const steps = Object.fromEntries(FLOW_STEPS.map((s) => [s, [] as number[]])) as Record<FlowStep, number[]>;
  const flowMs: number[] = [];
  const jobIds: string[] = [];
  const started = performance.now();
  await pool(pairs.length, inFlight, async (i) => {
    const { times, jobId } = await runFlow(gw, pairs[i]);
    for (const s of FLOW_STEPS) steps[s].push(times[s]);
    flowMs.push(FLOW_STEPS.reduce((sum, s) => sum + times[s], 0));
    jobIds.push(jobId);
  });
  const perSecond = pairs.length / ((performance.now() - started) / 1000);
  return { steps, flowMs, jobIds, perSecond };
}

function recordLevel(ctx: BenchContext, inFlight: number, result: Awaited<ReturnType<typeof runLevel>>) {
  ctx.figure({
    kind: "latency",
    title: `Marketplace flow, ${inFlight} in flight: time of each step (${
      round(result.perSecond, 2)
    } flows/s)`,
    unit: "ms",
    series: { "whole flow": result.flowMs, ...result.steps },
  });
}

/** Every flow ended where it should: the job approved, its escrow released, one review. */
async function expectApproved(jobIds: string[]) {
  const [{ n }] = await testSql()`select count(*)::int as n from public.trabajos t
    where t.id = any(${jobIds}::uuid[]) and t.estado = 'APROBADO' and t.estado_escrow = 'LIBERADO'
      and exists (select 1 from public.resenas r where r.trabajo_id = t.id)`;
  if (n !== jobIds.length) {
    throw new Error(`${jobIds.length - n} of ${jobIds.length} flows did not end approved`);
  }
}

/** `count` calls of `fn`, at most `width` at a time; answers their results in call order. */
async function pool<T>(count: number, width: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, count) }, async () => {
    while (next < count) {
      const i = next++;
      results[i] = await fn(i);
    }
  }));
  return results;
}

function stats(label: string, samples: number[]): string {
  const s = sorted(samples);
  const at = (p: number) => round(percentile(s, p), 1);
  return `${label.padEnd(36)} p50 ${at(0.5)} ms  p95 ${at(0.95)} ms  max ${at(1)} ms  (n=${s.length})`;
}

function sorted(samples: number[]): number[] {
  return [...samples].sort((a, b) => a - b);
}
