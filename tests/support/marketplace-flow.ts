/**
 * One whole marketplace flow through the API, step by step and timed — what the flows benchmark
 * repeats and a test runs once. Sign-up is separate (`signUp`): its cost is the password hash,
 * reported apart so it does not hide the rest; so is the professional's onboarding (`onboardPro`).
 *
 * search → chat → offer → accept → pay (checkout page, MercadoPago's signed webhook, job PAGADO) →
 * complete (EN_PROCESO, COMPLETADO) → approve (escrow released) → review.
 */
import type { TestAccount } from "./accounts.ts";
import type { TestApi } from "./http-api.ts";
import { chatOf, offer } from "../offers/helpers.ts";
import { clickPay, waitFor } from "../payments/helpers.ts";
import type { Pro } from "../professionals/helpers.ts";

export const FLOW_STEPS = [
  "search",
  "chat",
  "offer",
  "accept",
  "pay",
  "complete",
  "approve",
  "review",
] as const;
export type FlowStep = (typeof FLOW_STEPS)[number];
/** Milliseconds each step took. */
export type FlowTimes = Record<FlowStep, number>;

/** An approved professional of one trade, working around `at` (where its clients search). */
export type FlowPro = Pro & { oficioId: string; at: { lat: number; lng: number } };
/** The two people of one flow. A professional may serve many flows; a client does one. */
export type FlowPair = { client: TestAccount; pro: FlowPro };

const V = "/api/v1";
const PASSWORD = "Flow-password-2026";
const PRICE = 10000;

/**
 * Registers and logs in an account through the API, timing each call: both hash the password,
 * so this is where the hash's cost shows (and where a flow's figures must not include it).
 */
export async function signUp(
  gw: TestApi,
  rol: "CLIENTE" | "PROFESIONAL",
  oficioId?: string,
): Promise<{ account: TestAccount; registerMs: number; loginMs: number }> {
  const email = `flow-${rol.toLowerCase()}-${crypto.randomUUID().slice(0, 12)}@example.com`;
  let t = performance.now();
  const registered = await expectStatus(
    gw.json("POST", `${V}/auth/register`, {
      body: {
        email,
        password: PASSWORD,
        nombre: rol === "CLIENTE" ? "Ana" : "Pablo",
        apellido: rol === "CLIENTE" ? "Cliente" : "Plomero",
        rol,
        ...(oficioId ? { oficio_id: oficioId } : {}),
      },
    }),
    201,
    "register",
  );
  const registerMs = performance.now() - t;
  t = performance.now();
  const session = await expectStatus(
    gw.json("POST", `${V}/auth/login`, {
      body: new URLSearchParams({ username: email, password: PASSWORD }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
    200,
    "login",
  );
  const loginMs = performance.now() - t;
  return { account: { id: registered.id, email, rol, token: session.access_token }, registerMs, loginMs };
}

/**
 * A signed-up professional's onboarding, as it happens outside the flow: its base location set
 * through the API and its KYC approved by `admin` (e.g. `createAccount("ADMIN")`: admins are never
 * registered).
 */
export async function onboardPro(
  gw: TestApi,
  account: TestAccount,
  options: { oficioId: string; at: { lat: number; lng: number }; admin: TestAccount },
): Promise<FlowPro> {
  const profile = await expectStatus(
    gw.json("PUT", `${V}/professional/profile/location`, {
      token: account.token,
      body: { latitude: options.at.lat, longitude: options.at.lng },
    }),
    200,
    "location",
  );
  await expectStatus(
    gw.json("POST", `${V}/admin/kyc/approve/${profile.id}`, { token: options.admin.token }),
    200,
    "approve KYC",
  );
  return { ...account, profesionalId: profile.id, oficioId: options.oficioId, at: options.at };
}

/** Runs the flow once for `pair`; throws on the first answer that is not what the step expects. */
export async function runFlow(gw: TestApi, pair: FlowPair): Promise<{ times: FlowTimes; jobId: string }> {
  const times = {} as FlowTimes;
  const step = async <T>(name: FlowStep, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const value = await fn();
    times[name] = performance.now() - t;
    return value;
  };
  const { client, pro } = pair;

  await step("search", async () => {
    const found = await expectStatus(
      gw.json("POST", `${V}/search`, {
        token: client.token,
        body: { oficio_id: pro.oficioId, latitude: pro.at.lat, longitude: pro.at.lng, limit: 20 },
      }),
      200,
      "search",
    );
    if (!found.resultados.some((r: { id: string }) => r.id === pro.profesionalId)) {
      throw new Error(
        `search: professional ${pro.profesionalId} not among ${found.resultados.length} results`,
      );
    }
  });
  const chatId = await step("chat", () => chatOf(gw, client.token, pro.profesionalId));
  const offered = await step(
    "offer",
    () => offer(gw, { client, pro, chatId }, { precio_final: PRICE }, `${V}/chat_ofertas/ofertas`),
  );
  const accepted = await step("accept", () =>
    expectStatus(
      gw.json("POST", `${V}/cliente/ofertas/${offered.id}/accept`, { token: client.token }),
      200,
      "accept",
    ));
  const jobId = accepted.trabajo_id as string;
  const job = (token: string) => gw.json("GET", `${V}/chat_ofertas/trabajos/${jobId}`, { token });
  await step("pay", async () => {
    // The browser opens payment_url as it is: on the API under test when PUBLIC_API_URL points
    // there (a functions host); else (the default origin, no server) its path on this API.
    const link = new URL(accepted.payment_url);
    const path = link.href.startsWith(`${gw.url}/`)
      ? link.href.slice(gw.url.length)
      : `${V}${link.pathname}${link.search}`;
    const checkout = await gw.fetch(path, { redirect: "manual" });
    await checkout.body?.cancel();
    if (checkout.status !== 302) throw new Error(`checkout: ${checkout.status}`);
    await clickPay(checkout.headers.get("location")!);
    await waitFor(async () => (await job(client.token)).body.estado === "PAGADO", 15_000, 10);
  });
  const put = (token: string, estado: string) =>
    expectStatus(
      gw.json("PUT", `${V}/chat_ofertas/trabajos/${jobId}`, { token, body: { estado } }),
      200,
      estado,
    );
  await step("complete", async () => {
    await put(pro.token, "EN_PROCESO");
    await put(pro.token, "COMPLETADO");
  });
  await step("approve", async () => {
    const approved = await put(client.token, "APROBADO");
    if (approved.estado_escrow !== "LIBERADO") throw new Error(`approve: escrow ${approved.estado_escrow}`);
  });
  await step("review", () =>
    expectStatus(
      gw.json("POST", `${V}/cliente/trabajo/${jobId}/resena`, {
        token: client.token,
        body: { rating: 5, texto_resena: "Excelente trabajo, prolijo y puntual" },
      }),
      201,
      "review",
    ));
  return { times, jobId };
}

// deno-lint-ignore no-explicit-any
async function expectStatus(request: Promise<{ status: number; body: any }>, status: number, what: string) {
  const res = await request;
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
