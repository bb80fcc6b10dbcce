import type postgres from "postgres";
import { createPasswordHasher, DEFAULT_SCRYPT_PARAMS } from "../../functions/auth/passwords.ts";
import { insertOrFindChat } from "../../functions/chat-offers/chat-rooms.ts";
import { transitionJob } from "../../functions/chat-offers/job-transitions.ts";
import { createReview } from "../../functions/chat-offers/reviews.ts";
import { recordPayment } from "../../functions/payments/apply-payment.ts";
import { demoEmail } from "../professionals/demo.ts";
import { type Scenario, SCENARIOS } from "./demo-scenarios.ts";

/**
 * The marketplace of the demo (`deno task seed --demo`, `deno task dev`), after the demo
 * professionals: three clients who can log in, a chat per (client, professional) pair, offers in
 * every state and jobs in every state — PENDIENTE_PAGO, PAGADO, EN_PROCESO, COMPLETADO, APROBADO
 * (money released in the ledger) and CANCELADO — and a review of each approved job, so every page
 * of the frontend shows something real.
 *
 * Made through the code's own interfaces: chats with `insertOrFindChat`, payment with payments'
 * `recordPayment` (what the admin's simular-pago does: pagos row, trabajo_marcar_pagado, escrow_retener), every
 * later step with `transitionJob` (release through `escrow_liberar`), reviews with `createReview`.
 * Offers are the rows `createOffer` / `answerOffer` write (those also post cards to Firestore,
 * which the local stand-in forgets at every restart: chat messages are not seeded).
 *
 * Idempotent: all in one transaction, skipped when the demo clients already have offers. The
 * ratings of the demo professionals are then set to those of their reviews (demo-seed.ts resets
 * them when it refreshes a professional). Each professional gets at most one review: the
 * review.created handler stores the figures each event carries, so a single review per profile
 * cannot be undone by events delivered out of order.
 */
export const DEMO_PASSWORD = "Demo1234!";
export const DEMO_CLIENTS = [
  { nombre: "Carolina", apellido: "Suárez" },
  { nombre: "Tomás", apellido: "Peralta" },
  { nombre: "Milagros", apellido: "Ibarra" },
] as const;
export const demoClientEmail = (i: number) => `demo-cliente-${i + 1}@demo.conectarprofesionales.com`;
/** The demo professionals who take part (and may log in with DEMO_PASSWORD too). */
export const DEMO_MARKET_PROS = 8;

export async function seedDemoMarketplace(
  sql: postgres.Sql,
  options: { log: (msg: string) => void; reviewWindowDays?: number },
): Promise<"created" | "unchanged"> {
  const hasher = createPasswordHasher(DEFAULT_SCRYPT_PARAMS);
  const outcome = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('demo.marketplace'))`;
    const clients = [];
    for (const [i, c] of DEMO_CLIENTS.entries()) {
      clients.push(await ensureAccount(tx, demoClientEmail(i), c, hasher));
    }
    const pros = await tx<{ id: string; email: string }[]>`
      select id, email from public.usuarios where email in ${
      tx(Array.from({ length: DEMO_MARKET_PROS }, (_, i) => demoEmail(i)))
    }`;
    const proIds = Array.from(
      { length: DEMO_MARKET_PROS },
      (_, i) => pros.find((p) => p.email === demoEmail(i))?.id,
    );
    if (proIds.some((id) => !id)) throw new Error("demo marketplace: the demo professionals are not seeded");
    for (const id of proIds) await ensurePassword(tx, id!, hasher);
    const [{ n }] = await tx`select count(*)::int as n from public.ofertas where cliente_id in ${
      tx(clients)
    }`;
    if (n > 0) return "unchanged" as const;
    for (const { descripcion, precio, s } of SCENARIOS) {
      await play(
        tx,
        { cliente: clients[s.client], profesional: proIds[s.pro]!, descripcion, precio, s },
        options,
      );
    }
    return "created" as const;
  });
  await syncDemoRatings(sql);
  options.log(
    `  demo marketplace: ${outcome === "created" ? "created" : "already there"} (clients ${
      DEMO_CLIENTS.map((_, i) => demoClientEmail(i)).join(", ")
    }, password ${DEMO_PASSWORD})`,
  );
  return outcome;
}

async function play(
  tx: postgres.TransactionSql,
  p: { cliente: string; profesional: string; descripcion: string; precio: number; s: Scenario },
  options: { reviewWindowDays?: number },
) {
  const { chat } = await insertOrFindChat(tx, p.cliente, p.profesional);
  const estado = "offer" in p.s ? p.s.offer : "ACEPTADO";
  const [offer] = await tx<{ id: string }[]>`
    insert into public.ofertas (chat_id, profesional_id, cliente_id, descripcion, precio_final, estado,
      fecha_expiracion, fecha_respuesta)
    values (${chat.id}, ${p.profesional}, ${p.cliente}, ${p.descripcion}, ${p.precio},
      ${estado}::public.oferta_estado,
      case when ${estado} = 'EXPIRADO' then now() - interval '1 day' else now() + interval '7 days' end,
      case when ${estado} = 'OFERTADO' then null::timestamptz
           when ${estado} = 'EXPIRADO' then now() - interval '1 day' else now() end)
    returning id`;
  await tx`update public.chats set last_message_at = now() where id = ${chat.id}`;
  if ("offer" in p.s) return;

  // What accepting does (offers.ts createJob): the job, PENDIENTE_PAGO, with its first timeline row.
  const [job] = await tx<{ id: string }[]>`
    insert into public.trabajos (oferta_id, chat_id, cliente_id, profesional_id, descripcion, precio_final)
    values (${offer.id}, ${chat.id}, ${p.cliente}, ${p.profesional}, ${p.descripcion}, ${p.precio})
    returning id`;
  await tx`insert into public.trabajo_eventos (trabajo_id, tipo, descripcion, estado_nuevo, usuario_id, metadata)
    values (${job.id}, 'ESTADO_CAMBIO', 'Oferta aceptada: trabajo creado, pendiente de pago', 'PENDIENTE_PAGO',
      ${p.cliente}, ${tx.json({ oferta_id: offer.id })})`;
  if (p.s.paid) {
    // payments' own path for a simulated approved payment (the admin's simular-pago): the pagos
    // row, trabajo_marcar_pagado and the COBRO into escrow. "SIM-": refunds of it skip MercadoPago.
    const now = new Date().toISOString();
    const paid = await recordPayment(tx, {
      id: `SIM-DEMO-${job.id}`,
      status: "approved",
      statusDetail: "accredited",
      externalReference: job.id,
      amount: p.precio,
      amountRefunded: 0,
      currency: "ARS",
      dateCreated: now,
      dateApproved: now,
      paymentMethodId: "simulado",
      paymentTypeId: "simulado",
    }, "simulacion");
    if (paid.outcome !== "applied") throw new Error(`demo marketplace: payment ${paid.outcome}`);
  }
  for (const action of p.s.job) {
    const by = action === "iniciar" || action === "completar" ? p.profesional : p.cliente;
    await transitionJob(tx, {
      jobId: job.id,
      action,
      actor: { id: by, rol: by === p.profesional ? "PROFESIONAL" : "CLIENTE" },
    });
  }
  if (p.s.rating) {
    await createReview(tx, {
      trabajoId: job.id,
      clienteId: p.cliente,
      rating: p.s.rating,
      texto: p.s.texto ?? null,
    }, options.reviewWindowDays ?? 30);
  }
}

/** Every demo professional's rating and count are those of its reviews (none → 0 and 0). */
export async function syncDemoRatings(sql: postgres.Sql): Promise<void> {
  await sql`
    update public.profesionales p set
      rating_promedio = coalesce(s.promedio, 0), total_resenas = coalesce(s.total, 0), fecha_actualizacion = now()
    from public.usuarios u
    left join lateral (
      select round(avg(r.rating)::numeric, 2) as promedio, count(*)::int as total
      from public.resenas r join public.profesionales rp on rp.id = r.profesional_id
      where rp.usuario_id = u.id
    ) s on true
    where p.usuario_id = u.id and u.email like 'demo-profesional-%@demo.conectarprofesionales.com'
      and (p.rating_promedio, p.total_resenas) is distinct from (coalesce(s.promedio, 0), coalesce(s.total, 0))`;
}

type Hasher = ReturnType<typeof createPasswordHasher>;

async function ensureAccount(
  tx: postgres.TransactionSql,
  email: string,
  person: { nombre: string; apellido: string },
  hasher: Hasher,
): Promise<string> {
  const [existing] = await tx<{ id: string }[]>`select id from public.usuarios where email = ${email}`;
  const id = existing?.id ??
    (await tx<{ id: string }[]>`select id from public.create_usuario(${email}, ${person.nombre},
      ${person.apellido}, 'CLIENTE')`)[0].id;
  await ensurePassword(tx, id, hasher);
  return id;
}

/** The demo password, verified e-mail; a password someone changed is left alone. */
async function ensurePassword(tx: postgres.TransactionSql, userId: string, hasher: Hasher) {
  const [has] = await tx`select 1 from public.auth_credentials where user_id = ${userId}`;
  if (has) return;
  await tx`insert into public.auth_credentials (user_id, password_hash, email_verificado_at)
    values (${userId}, ${await hasher.hash(DEMO_PASSWORD)}, now()) on conflict (user_id) do nothing`;
}
