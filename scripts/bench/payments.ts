import postgres from "postgres";
import { importJWK, type JWK, SignJWT } from "jose";
import { hmacHex } from "../../tests/fakes/mercadopago-webhook.ts";
import { round } from "./measure.ts";
import { startFunctionProcess } from "./processes.ts";
import type { Benchmark } from "./types.ts";

/**
 * Payments end to end on the local stack, against a gateway process of its own whose preferences
 * point MercadoPago's stand-in at the stack's functions host (where the webhook is served):
 *
 * - webhooks: N jobs, each with its own approved payment in the stand-in (created without a
 *   notification), then N signed notifications posted with 8 in flight; each answer means the
 *   payment was fetched back from MercadoPago, verified and applied (job PAGADO, escrow held);
 * - accept → paid: per job, the client accepts the offer via the API, opens payment_url (302 to
 *   the checkout page), clicks Pagar (the stand-in creates the payment and posts the signed
 *   webhook), and we poll until the job is PAGADO.
 *
 * Accounts, chats, offers and stand-in payments are set up before the clock starts.
 */
export const paymentsBenchmark: Benchmark = {
  name: "payments",
  async run(ctx) {
    const webhooks = ctx.quick ? 80 : 400;
    const flows = ctx.quick ? 30 : 100;
    const mp = ctx.env.MERCADOPAGO_BASE_URL;
    const gw = await startFunctionProcess(ctx.root, "gateway", {
      ...ctx.env,
      MERCADOPAGO_NOTIFICATION_URL: `${ctx.env.FUNCTIONS_PUBLIC_URL}/gateway/api/v1/webhook/mercadopago`,
    });
    const sql = postgres(ctx.env.DATABASE_URL, { prepare: false, max: 4, onnotice: () => {} });
    try {
      const [pro] = await sql<{ id: string }[]>`select (public.create_usuario(
        ${`bench-pay-pro-${crypto.randomUUID()}@example.com`}, 'Bench', 'Pro', 'PROFESIONAL')).id`;
      await sql`select * from public.create_professional_profile(${pro.id})`;

      ctx.log(`${webhooks} jobs with an approved payment each (set-up)`);
      const paid = await offers(sql, pro.id, webhooks + WARMUP, "ACEPTADO");
      const payments: number[] = [];
      for (const job of paid) {
        const response = await fetch(`${mp}/stand-in/payments`, {
          method: "POST",
          body: JSON.stringify({
            notify: false,
            external_reference: job.trabajoId,
            transaction_amount: 1000,
          }),
        });
        payments.push((await response.json()).id);
      }
      ctx.log(`${webhooks} signed webhooks, 8 in flight`);
      const secret = ctx.env.MERCADOPAGO_WEBHOOK_SECRET;
      const notify = async (id: string) => {
        const requestId = crypto.randomUUID();
        const ts = String(Math.floor(Date.now() / 1000));
        const v1 = await hmacHex(secret, `id:${id};request-id:${requestId};ts:${ts};`);
        const response = await fetch(`${gw.url}/api/v1/webhook/mercadopago?data.id=${id}&type=payment`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-signature": `ts=${ts},v1=${v1}`,
            "x-request-id": requestId,
          },
          body: JSON.stringify({ action: "payment.created", type: "payment", data: { id } }),
        });
        const body = await response.json();
        if (response.status !== 200 || body.resultado !== "applied") {
          throw new Error(`webhook ${id}: ${response.status} ${JSON.stringify(body)}`);
        }
      };
      const answers: number[] = [];
      // The first calls load the MercadoPago SDK and warm pools: sent before the clock starts.
      let next = 0;
      for (; next < WARMUP; next++) await notify(String(payments[next]));
      const started = performance.now();
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < payments.length) {
          const id = String(payments[next++]);
          const t = performance.now();
          await notify(id);
          answers.push(performance.now() - t);
        }
      }));
      const webhookS = (performance.now() - started) / 1000;
      const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from public.trabajos
        where id = any(${paid.map((j) => j.trabajoId)}::uuid[]) and estado = 'PAGADO'`;
      if (n !== webhooks + WARMUP) {
        throw new Error(`${n} of ${webhooks + WARMUP} jobs paid after the webhooks`);
      }

      ctx.log(`${flows} accept → checkout → Pagar → PAGADO, one at a time`);
      const open = await offers(sql, pro.id, flows + WARMUP, "OFERTADO");
      const flowMs: number[] = [];
      for (const offer of open) {
        const t = performance.now();
        const accepted = await fetch(`${gw.url}/api/v1/cliente/ofertas/${offer.ofertaId}/accept`, {
          method: "POST",
          headers: { authorization: `Bearer ${offer.token}` },
        });
        const body = await accepted.json();
        if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(body)}`);
        const link = new URL(body.payment_url);
        const checkout = await fetch(`${gw.url}/api/v1${link.pathname}${link.search}`, {
          redirect: "manual",
        });
        await checkout.body?.cancel();
        const prefId = new URL(checkout.headers.get("location")!).searchParams.get("pref_id")!;
        const pay = await fetch(`${mp}/checkout/v1/pay`, {
          method: "POST",
          body: new URLSearchParams({ pref_id: prefId }),
          redirect: "manual",
        });
        await pay.body?.cancel();
        const deadline = Date.now() + 15_000;
        for (;;) {
          const [job] =
            await sql`select 1 from public.trabajos where id = ${body.trabajo_id} and estado = 'PAGADO'`;
          if (job) break;
          if (Date.now() > deadline) throw new Error(`job ${body.trabajo_id} not paid in 15 s`);
          await new Promise((r) => setTimeout(r, 5));
        }
        flowMs.push(performance.now() - t);
      }
      const w = percentiles(answers);
      const f = percentiles(flowMs.slice(WARMUP));
      ctx.figure({
        kind: "latency",
        title: "Payments: a signed webhook's answer (8 in flight) and accept → paid (one at a time)",
        unit: "ms",
        series: {
          "webhook: verify, fetch payment, apply": answers,
          "accept → checkout → Pagar → PAGADO": flowMs.slice(WARMUP),
        },
      });
      return [
        `${webhooks} signed webhooks (distinct approved payments, distinct jobs), 8 in flight: ` +
        `${round(webhookS, 2)} s → ${Math.round(webhooks / webhookS)} webhooks/s processed end to end`,
        `webhook answer (verify, fetch payment, apply)      p50 ${w.p50} ms  p95 ${w.p95} ms  max ${w.max} ms`,
        `accept → paid via the checkout page (n=${flows})     p50 ${f.p50} ms  p95 ${f.p95} ms  max ${f.max} ms`,
      ];
    } finally {
      await gw.stop();
      await sql.end();
    }
  },
};

/** Unmeasured calls before each measurement (cold imports, connection pools). */
const WARMUP = 3;

type Offer = { ofertaId: string; trabajoId: string; token: string };

/** `count` offers of 1000 from the professional to fresh clients; ACEPTADO ones get their job. */
async function offers(sql: postgres.Sql, proId: string, count: number, estado: "OFERTADO" | "ACEPTADO") {
  const jwk = JSON.parse(Deno.env.get("JWT_PRIVATE_JWK")!) as JWK;
  const key = await importJWK(jwk, "ES256");
  const made: Offer[] = [];
  for (let i = 0; i < count; i++) {
    const email = `bench-pay-${crypto.randomUUID()}@example.com`;
    const [client] = await sql<{ id: string }[]>`select (public.create_usuario(${email}, 'Bench', 'Cliente',
      'CLIENTE')).id`;
    const [chat] = await sql`insert into public.chats (cliente_id, profesional_id)
      values (${client.id}, ${proId}) returning id`;
    const [offer] = await sql`insert into public.ofertas (chat_id, profesional_id, cliente_id, descripcion,
        precio_final, estado, fecha_expiracion, fecha_respuesta)
      values (${chat.id}, ${proId}, ${client.id}, 'Benchmark: arreglo de cañería', 1000, ${estado},
        now() + interval '7 days', ${estado === "ACEPTADO" ? new Date() : null}) returning id`;
    let trabajoId = "";
    if (estado === "ACEPTADO") {
      const [job] = await sql`insert into public.trabajos (oferta_id, chat_id, cliente_id, profesional_id,
          descripcion, precio_final)
        values (${offer.id}, ${chat.id}, ${client.id}, ${proId}, 'Benchmark: arreglo de cañería', 1000)
        returning id`;
      trabajoId = job.id;
    }
    const token = await new SignJWT({
      role: "authenticated",
      rol: "CLIENTE",
      email,
      sid: crypto.randomUUID(),
    })
      .setProtectedHeader({ alg: "ES256", kid: jwk.kid, typ: "JWT" })
      .setSubject(client.id)
      .setIssuedAt()
      .setIssuer(Deno.env.get("JWT_ISSUER") ?? "conectar-profesionales")
      .setAudience(Deno.env.get("JWT_AUDIENCE") ?? "authenticated")
      .setExpirationTime("30m")
      .sign(key);
    made.push({ ofertaId: offer.id, trabajoId, token });
  }
  return made;
}

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))], 1);
  return { p50: at(0.5), p95: at(0.95), max: round(sorted[sorted.length - 1], 1) };
}
