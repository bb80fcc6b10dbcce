import { createAccount, testSql } from "../support/accounts.ts";
import { settledViolations, type Violation } from "../support/invariants.ts";
import { deal } from "../offers/helpers.ts";
import { clickPay } from "../payments/helpers.ts";
import { testCbu } from "../payments/payouts-helpers.ts";
import type { FaultOutcome, FaultScenario } from "./faults.ts";
import { type HostProcess, startHostProcess } from "./host-process.ts";
import { eventually } from "./wait.ts";

/**
 * The whole marketplace flow (tests/marketplace/flow.ts's steps) against a functions host process
 * that is SIGKILLed in the middle of a step — the request in flight, the process gone with
 * whatever it held — and started again. The client resumes as one would: it reads whether the
 * step happened and repeats it only if not (a payment is never paid twice: MercadoPago's retried
 * webhook or the scheduled reconciliation settles it). Every step ends done exactly once.
 */
export type Kill = {
  step: string;
  /** What the request in flight got: its status, or "network error" when the process died first. */
  inFlight: number | "network error";
  /** Whether the step had happened anyway (committed before the kill). */
  committed: boolean;
  bootMs: number;
  /** From the process answering again to the step done. */
  resumedMs: number;
};
export type GatewayKill = {
  kills: Kill[];
  /** What the flow left: one of each, and the money where it belongs. */
  counts: { ofertas: number; trabajos: number; pagos: number; resenas: number; retiros: number };
  job: { estado: string; estado_escrow: string };
  retiro: string;
  violations: Violation[];
};

const V = "/api/v1";
const PRICE = 25000;
/** PLATA's 18 % commission taken from PRICE. */
const RELEASED = 20500;

type Step = {
  name: string;
  /** The request(s) the step makes; throws when an answer is not a success. */
  run(): Promise<unknown>;
  done(): Promise<boolean>;
  /** How a client finishes a step the crash interrupted (default: `run` again). */
  resume?(): Promise<unknown>;
};

/**
 * Where the process dies, and how long after the step's request left: short delays kill it before
 * the commit, longer ones often after (the answer lost) — both must resume to the same end.
 */
export const KILLS: Record<string, number> = { accept: 10, pay: 40, APROBADO: 80, withdraw: 150 };

export async function killGatewayDuringFlow(killAt: Record<string, number> = KILLS): Promise<GatewayKill> {
  // Reconciliation looks at every unpaid job at once (production waits a minute for the webhook).
  const host = await startHostProcess({ ...Deno.env.toObject(), PAYMENTS_RECONCILE_MIN_AGE_SECONDS: "0" });
  try {
    const gw = host.gateway;
    const d = await deal(gw, { nivel: "PLATA" });
    await testSql()`update public.profesionales set rating_promedio = 0, total_resenas = 0
      where id = ${d.pro.profesionalId}`;
    const admin = await createAccount("ADMIN");
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await gw.json(method, `${V}${path}`, { token, body });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const one = async (query: Promise<{ id: string }[]>): Promise<string | null> =>
      (await query)[0]?.id ?? null;
    const offerId = () =>
      one(
        testSql()<
          { id: string }[]
        >`select id from public.ofertas where chat_id = ${d.chatId} order by fecha_creacion`,
      );
    const jobId = () =>
      one(
        testSql()<
          { id: string }[]
        >`select t.id from public.trabajos t join public.ofertas o on o.id = t.oferta_id
        where o.chat_id = ${d.chatId}`,
      );
    const job = async () =>
      (await testSql()<GatewayKill["job"][]>`select estado::text, estado_escrow::text
        from public.trabajos where id = ${await jobId()}`)[0];
    const retiro = async () =>
      (await testSql()<
        { id: string; estado: string }[]
      >`select id, estado from public.retiros where usuario_id = ${d.pro.id}`)[0];
    const reached = (estados: string[]) => async () => estados.includes((await job())?.estado);
    const put = (estado: string, token: string) => () =>
      jobId().then((id) => call("PUT", `/chat_ofertas/trabajos/${id}`, token, { estado }));

    // The client opens the job's payment link and pays on MercadoPago's page, once.
    let paidAtMercadoPago = false;
    const pay = async () => {
      const read = await call("GET", `/chat_ofertas/trabajos/${await jobId()}`, d.client.token);
      // The browser opens the link as it is (PUBLIC_API_URL is this host's gateway).
      const checkout = await fetch(read.payment_url, { redirect: "manual" });
      await checkout.body?.cancel();
      if (checkout.status !== 302) throw new Error(`checkout: ${checkout.status}`);
      await clickPay(checkout.headers.get("location")!);
      paidAtMercadoPago = true;
      if (!(await eventually(reached(["PAGADO"]), 5000))) throw new Error("not paid yet");
    };
    const steps: Step[] = [
      {
        name: "offer",
        run: () =>
          call("POST", "/chat_ofertas/ofertas", d.pro.token, {
            cliente_id: d.client.id,
            chat_id: d.chatId,
            descripcion: "Instalación de termotanque con materiales incluidos",
            precio_final: PRICE,
          }),
        done: async () => (await offerId()) !== null,
      },
      {
        name: "accept",
        run: async () => call("POST", `/cliente/ofertas/${await offerId()}/accept`, d.client.token),
        done: async () => (await jobId()) !== null,
      },
      {
        name: "pay",
        run: pay,
        done: reached(["PAGADO", "EN_PROCESO", "COMPLETADO", "APROBADO"]),
        // Paid at MercadoPago already: its retried webhook lands, or the scheduled reconciliation
        // finds it. Not paid yet (the crash came first): pay.
        resume: async () => {
          if (!paidAtMercadoPago) return await pay();
          if (await eventually(reached(["PAGADO"]), 7000)) return;
          await host.functions.json("POST", "/payments/payments/reconcile", {
            headers: { authorization: `Bearer ${host.sweepSecret}` },
          });
        },
      },
      {
        name: "EN_PROCESO",
        run: put("EN_PROCESO", d.pro.token),
        done: reached(["EN_PROCESO", "COMPLETADO", "APROBADO"]),
      },
      { name: "COMPLETADO", run: put("COMPLETADO", d.pro.token), done: reached(["COMPLETADO", "APROBADO"]) },
      { name: "APROBADO", run: put("APROBADO", d.client.token), done: reached(["APROBADO"]) },
      {
        name: "review",
        run: async () =>
          call("POST", `/cliente/trabajo/${await jobId()}/resena`, d.client.token, {
            rating: 5,
            texto_resena: "Excelente trabajo, prolijo y puntual",
          }),
        done: async () =>
          (await testSql()`select 1 from public.resenas where trabajo_id = ${await jobId()}`).length > 0,
      },
      {
        name: "bank account",
        run: () =>
          call("POST", "/pagos/cuenta-bancaria", d.pro.token, {
            tipo_cuenta: "cbu",
            cbu: testCbu(),
            titular: "Pablo Plomero",
          }),
        done: async () =>
          (await testSql()`select 1 from public.cuentas_bancarias where usuario_id = ${d.pro.id}`).length > 0,
      },
      {
        name: "withdraw",
        run: () => call("POST", "/pagos/retiros", d.pro.token, { monto: RELEASED }),
        done: async () => (await retiro()) !== undefined,
      },
      {
        name: "approve withdrawal",
        run: async () => call("POST", `/admin/pagos/retiros/${(await retiro()).id}/aprobar`, admin.token),
        done: async () => ["APROBADO", "PAGADO"].includes((await retiro()).estado),
      },
      {
        name: "pay withdrawal",
        run: async () => call("POST", `/admin/pagos/retiros/${(await retiro()).id}/pagar`, admin.token),
        done: async () => (await retiro()).estado === "PAGADO",
      },
    ];

    const kills: Kill[] = [];
    for (const step of steps) {
      if (step.name in killAt) kills.push(await crashDuring(host, step, killAt[step.name]));
      else await step.run();
    }

    const [counts] = await testSql()`select
        (select count(*)::int from public.ofertas where chat_id = ${d.chatId}) as ofertas,
        (select count(*)::int from public.trabajos t join public.ofertas o on o.id = t.oferta_id
          where o.chat_id = ${d.chatId}) as trabajos,
        (select count(*)::int from public.pagos where trabajo_id = ${await jobId()}) as pagos,
        (select count(*)::int from public.resenas where trabajo_id = ${await jobId()}) as resenas,
        (select count(*)::int from public.retiros where usuario_id = ${d.pro.id}) as retiros`;
    const retiroId = (await retiro()).id;
    return {
      kills,
      counts: counts as GatewayKill["counts"],
      job: await job(),
      retiro: (await retiro()).estado,
      violations: await settledViolations(testSql(), {
        refs: [(await jobId())!, d.client.id, d.pro.id, d.pro.profesionalId!, retiroId],
        timeoutMs: 20_000,
      }),
    };
  } finally {
    await host.stop();
  }
}

/** The step's request in flight, the process SIGKILLed a moment later, started again, the step resumed. */
async function crashDuring(host: HostProcess, step: Step, afterMs: number): Promise<Kill> {
  let inFlight: number | "network error" = "network error";
  const attempt = step.run().then(
    () => inFlight = 200,
    (error) => {
      const status = /: (\d{3}) /.exec(String(error))?.[1];
      if (status) inFlight = Number(status);
    },
  );
  await new Promise((r) => setTimeout(r, afterMs));
  await host.kill();
  await attempt;
  const bootMs = await host.start();
  const up = performance.now();
  const committed = await step.done();
  let lastError: unknown = null;
  for (let tries = 0; !(await step.done()); tries++) {
    if (tries >= 5) throw new Error(`${step.name}: still not done after the restart`, { cause: lastError });
    await (step.resume ?? step.run)().catch((error) => lastError = error);
  }
  return { step: step.name, inFlight, committed, bootMs, resumedMs: Math.round(performance.now() - up) };
}

export function gatewayKillOutcome(result: GatewayKill): FaultOutcome {
  const exactlyOnce = Object.values(result.counts).every((n) => n === 1);
  return {
    userSaw: result.kills.map((k) => `${k.step}: ${k.inFlight}`).join("; ") + " — each resumed",
    recoveryMs: Math.max(...result.kills.map((k) => k.bootMs + k.resumedMs)),
    invariantsHeld: exactlyOnce && result.job.estado === "APROBADO" && result.retiro === "PAGADO" &&
      result.violations.length === 0,
    notes: `restart ${result.kills.map((k) => k.bootMs).join("/")} ms; committed before the kill: ` +
      result.kills.filter((k) => k.committed).map((k) => k.step).join(", "),
  };
}

export const GATEWAY_SIGKILL: FaultScenario = {
  name: "gateway-sigkill",
  fault:
    "the functions host process SIGKILLed during accept, payment, approval and withdrawal, then restarted",
  run: async () => gatewayKillOutcome(await killGatewayDuringFlow()),
};
