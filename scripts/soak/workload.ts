import { createAccount, type TestAccount } from "../../tests/support/accounts.ts";
import type { TestApi } from "../../tests/support/http-api.ts";
import { type FlowPro, onboardPro, runFlow, signUp } from "../../tests/support/marketplace-flow.ts";
import { send } from "../../tests/chat/helpers.ts";
import { chatOf } from "../../tests/offers/helpers.ts";
import { testCbu } from "../../tests/payments/payouts-helpers.ts";
import { east, isolatedPoint } from "../../tests/professionals/helpers.ts";
import { recordingApi, type RouteStats } from "./route-stats.ts";

/**
 * The soak's workload: simulated clients and professionals doing whole marketplace flows through
 * the API as the frontend does — browse and search, chat, offer, accept, pay on MercadoPago's
 * checkout page, work, approve, review, withdraw (an admin pays it out) — `concurrency` flows in
 * flight, each with a client and a professional of its own for its duration. `deno task soak` and
 * tests/reliability/soak.test.ts run this same code.
 *
 * Passwords are hashed at sign-up and login only: the accounts are registered once, before the
 * load (timed apart), so the load is the marketplace itself and not scrypt.
 */
export type SoakOptions = { users: number; concurrency: number; log: (msg: string) => void };

export type LoadResult = {
  ms: number;
  flows: number;
  /** One line per failed flow: the step's error. */
  failures: string[];
  /** Milliseconds of each step, every flow. */
  steps: Record<string, number[]>;
};

export type Soak = {
  clients: number;
  professionals: number;
  /** What registering the accounts cost (scrypt), before the load. */
  signUp: { ms: number; registerMs: number[]; loginMs: number[] };
  /** Flows for `ms`: no flow starts after it, the ones in flight finish. */
  run(ms: number, stats: RouteStats): Promise<LoadResult>;
  /** Every id the soak's rows are about (people, profiles, jobs, withdrawals): its invariants' scope. */
  refs(): string[];
};

const V = "/api/v1";
/** Registrations at once: auth hashes two passwords at a time per process (PASSWORD_HASH_CONCURRENCY). */
const SIGN_UP_CONCURRENCY = 2;

export async function prepareSoak(
  api: TestApi,
  signUpStats: RouteStats,
  options: SoakOptions,
): Promise<Soak> {
  const pairs = Math.max(1, Math.floor(options.users / 2));
  if (options.concurrency > pairs) {
    throw new Error(`${options.concurrency} flows in flight need at least ${options.concurrency * 2} users`);
  }
  const gw = recordingApi(api, signUpStats);
  const started = performance.now();
  // Admins are never registered (API.md): one made as the seed makes them.
  const admin = await createAccount("ADMIN");
  const [trade] = await ok(gw.json("GET", `${V}/public/oficios`), "trades");
  // Each professional a little east of the last (100 m), far from anybody else's data: searching at
  // a professional's own point finds them first.
  const base = isolatedPoint();
  const clients: TestAccount[] = [];
  const professionals: FlowPro[] = [];
  const registerMs: number[] = [];
  const loginMs: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: SIGN_UP_CONCURRENCY }, async () => {
    while (next < pairs) {
      const at = east(base, 0.1 * next++);
      for (const rol of ["CLIENTE", "PROFESIONAL"] as const) {
        const signed = await signUp(gw, rol, rol === "PROFESIONAL" ? trade.id : undefined);
        registerMs.push(signed.registerMs);
        loginMs.push(signed.loginMs);
        if (rol === "CLIENTE") {
          clients.push(signed.account);
          continue;
        }
        const pro = await onboardPro(gw, signed.account, { oficioId: trade.id, at, admin });
        await ok(
          gw.json("POST", `${V}/pagos/cuenta-bancaria`, {
            token: pro.token,
            body: { tipo_cuenta: "cbu", cbu: testCbu(), titular: "Pablo Plomero" },
          }),
          "bank account",
        );
        professionals.push(pro);
      }
    }
  }));
  options.log(`${pairs} clients and ${pairs} approved professionals signed up`);

  const jobs: string[] = [];
  const withdrawals: string[] = [];
  return {
    clients: clients.length,
    professionals: professionals.length,
    signUp: { ms: performance.now() - started, registerMs, loginMs },
    refs: () => [
      admin.id,
      ...clients.map((c) => c.id),
      ...professionals.flatMap((p) => [p.id, p.profesionalId]),
      ...jobs,
      ...withdrawals,
    ],
    async run(ms, stats) {
      const load = recordingApi(api, stats);
      // A second review of the same job is refused (400): the one error the workload asks for.
      const provoking = recordingApi(api, stats, { expected: [400] });
      const freeClients = [...clients];
      const freePros = [...professionals];
      const steps: Record<string, number[]> = {};
      const failures: string[] = [];
      let flows = 0;
      const started = performance.now();
      const deadline = started + ms;
      await Promise.all(Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < deadline) {
          const client = take(freeClients);
          const pro = take(freePros);
          try {
            const times = await marketplaceFlow(load, provoking, { client, pro, admin }, {
              jobs,
              withdrawals,
            });
            for (const [step, t] of Object.entries(times)) (steps[step] ??= []).push(t);
            flows++;
          } catch (error) {
            failures.push(error instanceof Error ? error.message : String(error));
          } finally {
            freeClients.push(client);
            freePros.push(pro);
          }
        }
      }));
      return { ms: performance.now() - started, flows, failures, steps };
    },
  };
}

/**
 * One client's and one professional's flow: browse, the flow of tests/support/marketplace-flow.ts
 * (search … review), a thank-you in the chat, the deliberate second review, both reading their
 * notifications, and the professional withdrawing the balance, which the admin approves and pays.
 */
async function marketplaceFlow(
  gw: TestApi,
  provoking: TestApi,
  who: { client: TestAccount; pro: FlowPro; admin: TestAccount },
  created: { jobs: string[]; withdrawals: string[] },
): Promise<Record<string, number>> {
  const { client, pro, admin } = who;
  const times: Record<string, number> = {};
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const value = await fn();
    times[name] = performance.now() - t;
    return value;
  };

  await step("browse", async () => {
    await ok(gw.json("GET", `${V}/public/oficios`), "trades");
    await ok(
      gw.json(
        "GET",
        `${V}/search/professionals?oficio_id=${pro.oficioId}&lat=${pro.at.lat}&lng=${pro.at.lng}`,
      ),
      "search",
    );
    await ok(gw.json("GET", `${V}/public/professional/${pro.profesionalId}`), "public profile");
    await ok(gw.json("GET", `${V}/public/professional/${pro.profesionalId}/resenas`), "reviews");
  });
  const flow = await runFlow(gw, { client, pro });
  created.jobs.push(flow.jobId);
  Object.assign(times, flow.times);

  await step("message", async () => {
    const chatId = await chatOf(gw, client.token, pro.profesionalId);
    await ok(send(gw, client.token, chatId, "¡Gracias! Quedó perfecto."), "message");
  });
  await step("second review", async () => {
    const again = await provoking.json("POST", `${V}/cliente/trabajo/${flow.jobId}/resena`, {
      token: client.token,
      body: { rating: 1, texto_resena: "Otra reseña del mismo trabajo" },
    });
    if (again.status !== 400) throw new Error(`second review: ${again.status} ${JSON.stringify(again.body)}`);
  });
  await step("notifications", async () => {
    await ok(gw.json("GET", `${V}/notifications?limit=20`, { token: client.token }), "notifications");
    await ok(gw.json("GET", `${V}/notifications?limit=20`, { token: pro.token }), "notifications");
  });
  const withdrawal = await step("withdraw", async () => {
    const balance = await ok(gw.json("GET", `${V}/pagos/balance`, { token: pro.token }), "balance");
    return await ok(
      gw.json("POST", `${V}/pagos/retiros`, { token: pro.token, body: { monto: balance.disponible } }),
      "withdraw",
    );
  });
  created.withdrawals.push(withdrawal.id);
  await step("payout", async () => {
    for (const action of ["aprobar", "pagar"]) {
      await ok(
        gw.json("POST", `${V}/admin/pagos/retiros/${withdrawal.id}/${action}`, { token: admin.token }),
        action,
      );
    }
  });
  return times;
}

/** A random element, removed (the pools are at least as large as the flows in flight). */
function take<T>(free: T[]): T {
  const i = Math.floor(Math.random() * free.length);
  return free.splice(i, 1)[0];
}

// deno-lint-ignore no-explicit-any
async function ok(request: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const res = await request;
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}
