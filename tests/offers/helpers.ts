import assert from "node:assert/strict";
import { createAccount, type TestAccount, testSql } from "../support/accounts.ts";
import type { TestApi } from "../support/gateway.ts";
import { createPro, openChat, type Pro } from "../chat/helpers.ts";

/**
 * Fixtures for the offers and jobs tests: a client and an approved professional with a chat, an
 * offer in it, an accepted offer (a job), and payment through the SQL interface payments uses
 * (`trabajo_marcar_pagado` + `escrow_retener`, what an approved MercadoPago payment does).
 */
export type Deal = { client: TestAccount; pro: Pro; chatId: string };

export async function deal(gw: TestApi, options: { nivel?: "BRONCE" | "PLATA" | "ORO" | "DIAMANTE" } = {}) {
  const client = await createAccount("CLIENTE", { nombre: "Ana", apellido: "Cliente" });
  const pro = await createPro({
    nombre: "Pablo",
    apellido: "Plomero",
    nivel: options.nivel,
    rating: 4.5,
    resenas: 2,
  });
  if (options.nivel) {
    const rate = { BRONCE: 0.2, PLATA: 0.18, ORO: 0.15, DIAMANTE: 0.1 }[options.nivel];
    await testSql()`update public.profesionales set tasa_comision_actual = ${rate} where id = ${pro.profesionalId}`;
  }
  return { client, pro, chatId: await chatOf(gw, client.token, pro.profesionalId) };
}

/**
 * Opens the pair's chat. The first Firestore call of a process loads firebase-admin; under a full
 * parallel run that can outlast FIRESTORE_TIMEOUT_MS (503), so a 503 is retried a few times.
 */
export async function chatOf(gw: TestApi, token: string, profesionalId: string): Promise<string> {
  for (let attempt = 1;; attempt++) {
    try {
      return (await openChat(gw, token, profesionalId)).chat_id as string;
    } catch (error) {
      if (attempt >= 4 || !String(error).includes("503")) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export async function offer(
  gw: TestApi,
  d: Deal,
  body: Record<string, unknown> = {},
  path = "/api/v1/professional/ofertas",
) {
  const res = await gw.json("POST", path, {
    token: d.pro.token,
    body: {
      cliente_id: d.client.id,
      chat_id: d.chatId,
      descripcion: "Cambio de canilla y revisión de pérdidas en la cocina",
      precio_final: 10000,
      ...body,
    },
  });
  if (res.status !== 201) throw new Error(`offer: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An accepted offer: the job id and the accept answer. */
export async function job(gw: TestApi, d: Deal, precio = 10000) {
  const o = await offer(gw, d, { precio_final: precio });
  const res = await gw.json("POST", `/api/v1/cliente/ofertas/${o.id}/accept`, { token: d.client.token });
  if (res.status !== 200) throw new Error(`accept: ${res.status} ${JSON.stringify(res.body)}`);
  return { trabajoId: res.body.trabajo_id as string, ofertaId: o.id as string, accepted: res.body };
}

/** What an approved payment does, through payments' SQL interface (stand-in for its webhook). */
export async function pay(trabajoId: string) {
  const sql = testSql();
  // "SIM-": payments treats it as a simulated payment (refunds complete without MercadoPago).
  const paymentId = `SIM-TEST-${crypto.randomUUID().slice(0, 8)}`;
  const [{ precio }] = await sql`select precio_final as precio from public.trabajos where id = ${trabajoId}`;
  // The three writes payments' apply function makes for an approved payment (the payment row
  // too, so the ledger invariants hold for jobs paid this way).
  await sql.begin(async (tx) => {
    await tx`select * from public.trabajo_marcar_pagado(${trabajoId}, ${paymentId})`;
    await tx`select public.escrow_retener(${trabajoId}, ${precio}::numeric, ${paymentId})`;
    await tx`insert into public.pagos (mp_payment_id, trabajo_id, external_reference, status, monto, aplicado_at,
        fecha_aprobacion)
      values (${paymentId}, ${trabajoId}, ${trabajoId}, 'approved', ${precio}, now(), now())`;
  });
  return paymentId;
}

export async function jobRow(trabajoId: string): Promise<Record<string, unknown>> {
  const [row] = await testSql()`select estado::text, estado_escrow::text, comision_plataforma::float8,
      monto_liberado::float8, fecha_actualizacion from public.trabajos where id = ${trabajoId}`;
  return row;
}

export async function outboxTypes(aggregateId: string): Promise<string[]> {
  const rows = await testSql()`select type from public.outbox where aggregate_id = ${aggregateId}
    order by created_at, id`;
  return rows.map((r) => r.type as string);
}

/** A job's states, and a job brought to one of them through the real paths (routes and `pay`). */
export type Estado = "PENDIENTE_PAGO" | "PAGADO" | "EN_PROCESO" | "COMPLETADO" | "APROBADO" | "CANCELADO";

export async function jobIn(gw: TestApi, d: Deal, estado: Estado, precio = 10000): Promise<string> {
  const { trabajoId } = await job(gw, d, precio);
  const put = async (to: string, who: TestAccount) => {
    const res = await gw.json("PUT", `/chat_ofertas/trabajos/${trabajoId}`, {
      token: who.token,
      body: { estado: to },
    });
    assert.equal(res.status, 200, `${to}: ${JSON.stringify(res.body)}`);
  };
  if (estado === "PENDIENTE_PAGO") return trabajoId;
  if (estado === "CANCELADO") {
    await gw.json("POST", `/chat_ofertas/trabajos/${trabajoId}/cancelar`, { token: d.client.token });
    return trabajoId;
  }
  await pay(trabajoId);
  if (estado === "PAGADO") return trabajoId;
  await put("EN_PROCESO", d.pro);
  if (estado === "EN_PROCESO") return trabajoId;
  await put("COMPLETADO", d.pro);
  if (estado === "COMPLETADO") return trabajoId;
  await put("APROBADO", d.client);
  return trabajoId;
}

/**
 * A new PENDIENTE_PAGO job of `price` between `client` and `pro`, straight in SQL (no routes, no
 * events): a chat, the offer `descripcion` accepted in it and its job.
 */
export async function insertPendingJob(
  client: { id: string },
  pro: { id: string },
  price: number,
  descripcion: string,
): Promise<{ chatId: string; offerId: string; jobId: string }> {
  const sql = testSql();
  const [chat] = await sql`
    insert into public.chats (cliente_id, profesional_id) values (${client.id}, ${pro.id}) returning id`;
  const [offer] = await sql`
    insert into public.ofertas (chat_id, profesional_id, cliente_id, descripcion, precio_final, estado,
      fecha_expiracion, fecha_respuesta)
    values (${chat.id}, ${pro.id}, ${client.id}, ${descripcion}, ${price}, 'ACEPTADO',
      now() + interval '7 days', now())
    returning id`;
  const [job] = await sql`
    insert into public.trabajos (oferta_id, chat_id, cliente_id, profesional_id, descripcion, precio_final)
    values (${offer.id}, ${chat.id}, ${client.id}, ${pro.id}, ${descripcion}, ${price})
    returning id`;
  return { chatId: chat.id, offerId: offer.id, jobId: job.id };
}
