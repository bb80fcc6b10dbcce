import type { AuthUser } from "../../shared/auth-user.ts";
import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { emitEvent } from "../../shared/events.ts";
import type { ChatDeps } from "./chat-actions.ts";
import { forTheOtherParty } from "./chat-messages.ts";
import {
  type ChatRow,
  type Chatter,
  insertOrFindChat,
  loadChatter,
  participantChat,
  personOf,
  requireChatter,
} from "./chat-rooms.ts";
import { type OutgoingMessage, type Room, writeMessage, writeRoom } from "./chat-store.ts";
import { TEXT_MAX } from "./marketplace-schemas.ts";

/**
 * The offer use cases: a professional offers a price in a chat; the addressed client accepts
 * (the offer becomes a job, PENDIENTE_PAGO) or rejects it; the professional may withdraw it while
 * unanswered; a client may hire a published service outright (an offer born ACEPTADO + its job).
 * Each runs in one service transaction with explicit party checks in the monolith's order
 * (404 → 403 → 400 naming the state); Firestore, when touched, is the last step before commit.
 */
export type OfferDeps = ChatDeps & { offerExpiryDays: number };
export type CreateOfferInput = {
  cliente_id: string;
  chat_id: string;
  descripcion: string;
  precio_final: number;
  fecha_expiracion?: string | null;
};

export async function createOffer(deps: OfferDeps, user: AuthUser, input: CreateOfferInput): Promise<string> {
  return await deps.db.asService(async (tx) => {
    const pro = await requireChatter(tx, user.id);
    // The monolith's checks and texts first (its test clients assert them), then the chat's.
    if (input.cliente_id === user.id) {
      throw new AppError("bad_request", "No puedes enviarte una oferta a ti mismo");
    }
    const addressed = await loadChatter(tx, input.cliente_id);
    if (!addressed) throw new AppError("not_found", "Cliente no encontrado");
    const chat = await participantChat(tx, input.chat_id, user.id);
    if (chat.profesional_id !== user.id) {
      throw new AppError("forbidden", "Solo el profesional del chat puede enviar ofertas");
    }
    if (chat.cliente_id !== input.cliente_id) {
      throw new AppError("bad_request", "El cliente indicado no participa en este chat");
    }
    const client = addressed;
    if (!client?.is_active) throw new AppError("bad_request", "El cliente no está disponible");
    const expiry = input.fecha_expiracion ? new Date(input.fecha_expiracion) : null;
    if (expiry && expiry.getTime() <= Date.now()) {
      throw new AppError("bad_request", "La fecha de expiración debe ser futura");
    }
    // An offer card is a chat message: contact details stay masked until a job is paid.
    const descripcion = await forTheOtherParty(tx, chat, input.descripcion, TEXT_MAX);
    const [offer] = await tx<{ id: string; fecha_expiracion: Date }[]>`
      insert into public.ofertas (chat_id, profesional_id, cliente_id, descripcion, precio_final, fecha_expiracion)
      values (${chat.id}, ${pro.id}, ${client.id}, ${descripcion}, ${input.precio_final},
        coalesce(${expiry}::timestamptz, now() + make_interval(days => ${deps.offerExpiryDays})))
      returning id, fecha_expiracion`;
    await emitEvent(tx, {
      type: "offer.created",
      aggregateId: offer.id,
      producer: "chat-offers",
      payload: {
        oferta_id: offer.id,
        chat_id: chat.id,
        cliente_id: client.id,
        profesional_id: pro.id,
        precio_final: input.precio_final,
        fecha_expiracion: offer.fecha_expiracion.toISOString(),
      },
    });
    await postOfferCard(tx, deps, {
      chat,
      from: pro,
      to: client,
      text: `Nueva oferta: $${input.precio_final} — ${descripcion}`,
      card: { oferta_id: offer.id, precio_final: input.precio_final, estado: "OFERTADO" },
      room: null,
    });
    return offer.id;
  });
}

/** One more unread message for `to`, the chat's activity, then the card in Firestore (last). */
async function postOfferCard(
  tx: Tx,
  deps: OfferDeps,
  input: {
    chat: ChatRow;
    from: Chatter;
    to: Chatter;
    text: string;
    card: Record<string, string | number>;
    room: Room | null;
  },
) {
  await tx`update public.chats set last_message_at = now() where id = ${input.chat.id}`;
  await tx`update public.chat_participantes set unread_count = unread_count + 1
    where chat_id = ${input.chat.id} and usuario_id = ${input.to.id}`;
  const message: OutgoingMessage = {
    id: crypto.randomUUID(),
    chatId: input.chat.id,
    sender: personOf(input.from),
    recipient: personOf(input.to),
    text: input.text,
    censored: false,
    censorReasons: [],
    type: "oferta",
    trabajoId: input.chat.trabajo_id,
    card: input.card,
  };
  if (input.room) await writeRoom(deps.firestore, input.room, message);
  else await writeMessage(deps.firestore, message);
}

type OfferState = {
  id: string;
  chat_id: string;
  cliente_id: string;
  profesional_id: string;
  servicio_id: string | null;
  descripcion: string;
  precio_final: string;
  estado: string;
};
const OFFER_STATE = `id, chat_id, cliente_id, profesional_id, servicio_id, descripcion,
  precio_final::text as precio_final,
  case when estado = 'OFERTADO' and fecha_expiracion <= now() then 'EXPIRADO' else estado::text end as estado`;

/** How each answer to an open offer goes: who may give it, its new state and its event. */
const ANSWERS = {
  accept: { by: "cliente", to: "ACEPTADO", verb: "aceptar", event: "offer.accepted" },
  reject: { by: "cliente", to: "RECHAZADO", verb: "rechazar", event: "offer.rejected" },
  withdraw: { by: "profesional", to: "RETIRADO", verb: "retirar", event: "offer.withdrawn" },
} as const;
export type OfferAnswer = keyof typeof ANSWERS;

/**
 * Answers an open offer: `update … where estado = 'OFERTADO' and fecha_expiracion > now()`, so
 * of many concurrent answers one applies; accepting also creates the job. Returns the job id.
 */
export async function answerOffer(
  deps: OfferDeps,
  user: AuthUser,
  offerId: string,
  answer: OfferAnswer,
): Promise<{ trabajoId: string | null }> {
  const rule = ANSWERS[answer];
  return await deps.db.asService(async (tx) => {
    const [offer] = await tx<OfferState[]>`select ${
      tx.unsafe(OFFER_STATE)
    } from public.ofertas where id = ${offerId}`;
    if (!offer) throw new AppError("not_found", "Oferta no encontrada");
    const owner = rule.by === "cliente" ? offer.cliente_id : offer.profesional_id;
    if (owner !== user.id) {
      throw new AppError(
        "forbidden",
        rule.by === "cliente"
          ? "Esta oferta no te pertenece"
          : "Solo el profesional que envió la oferta puede retirarla",
      );
    }
    const wrongState = (estado: string) =>
      new AppError("bad_request", `No se puede ${rule.verb} una oferta en estado ${estado}`);
    if (offer.estado !== "OFERTADO") throw wrongState(offer.estado);
    const [updated] = await tx<OfferState[]>`
      update public.ofertas set estado = ${rule.to}::public.oferta_estado, fecha_respuesta = now(),
        fecha_actualizacion = now()
      where id = ${offerId} and estado = 'OFERTADO' and fecha_expiracion > now()
      returning ${tx.unsafe(OFFER_STATE)}`;
    if (!updated) {
      const [now] = await tx<OfferState[]>`select ${
        tx.unsafe(OFFER_STATE)
      } from public.ofertas where id = ${offerId}`;
      throw wrongState(now.estado === "OFERTADO" ? "EXPIRADO" : now.estado);
    }
    const trabajoId = answer === "accept" ? await createJob(tx, updated, user.id) : null;
    await emitEvent(tx, {
      type: rule.event,
      aggregateId: offerId,
      producer: "chat-offers",
      payload: offerPayload(updated, trabajoId),
    });
    return { trabajoId };
  });
}

function offerPayload(offer: OfferState, trabajoId: string | null) {
  return {
    oferta_id: offer.id,
    chat_id: offer.chat_id,
    cliente_id: offer.cliente_id,
    profesional_id: offer.profesional_id,
    precio_final: Number(offer.precio_final),
    ...(trabajoId ? { trabajo_id: trabajoId } : {}),
  };
}

/** The job of an accepted offer (PENDIENTE_PAGO), with its first timeline row. */
async function createJob(tx: Tx, offer: OfferState, actorId: string): Promise<string> {
  const [job] = await tx<{ id: string }[]>`
    insert into public.trabajos (oferta_id, chat_id, cliente_id, profesional_id, servicio_instant_id, descripcion,
      precio_final)
    values (${offer.id}, ${offer.chat_id}, ${offer.cliente_id}, ${offer.profesional_id}, ${offer.servicio_id},
      ${offer.descripcion}, ${offer.precio_final}::numeric)
    returning id`;
  await tx`insert into public.trabajo_eventos (trabajo_id, tipo, descripcion, estado_nuevo, usuario_id, metadata)
    values (${job.id}, 'ESTADO_CAMBIO', 'Oferta aceptada: trabajo creado, pendiente de pago', 'PENDIENTE_PAGO',
      ${actorId}, ${tx.json({ oferta_id: offer.id })})`;
  return job.id;
}

/**
 * "Contratar Servicio": the client hires a published service (row 29: owner = profile id, fixed
 * price) — the pair's chat (found or created), an offer born ACEPTADO at the service's price, and
 * its job. Returns the offer and job ids.
 */
export async function hireService(
  deps: OfferDeps,
  user: AuthUser,
  servicioId: string,
): Promise<{ ofertaId: string; trabajoId: string }> {
  return await deps.db.asService(async (tx) => {
    const client = await requireChatter(tx, user.id);
    const [service] = await tx<
      {
        id: string;
        nombre: string;
        precio_fijo: string;
        usuario_id: string;
        estado: string;
        is_active: boolean;
      }[]
    >`
      select s.id, s.nombre, s.precio_fijo::text as precio_fijo, p.usuario_id,
        p.estado_verificacion::text as estado, u.is_active
      from public.servicios_instantaneos s
      join public.profesionales p on p.id = s.profesional_id
      join public.usuarios u on u.id = p.usuario_id
      where s.id = ${servicioId} and s.precio_fijo is not null`;
    if (!service) throw new AppError("not_found", "Servicio no encontrado");
    if (service.usuario_id === user.id) {
      throw new AppError("bad_request", "No podés contratar tu propio servicio");
    }
    if (!service.is_active || service.estado !== "APROBADO") {
      throw new AppError("bad_request", "El profesional de este servicio no está disponible");
    }
    const pro = (await loadChatter(tx, service.usuario_id))!;
    const { chat, created } = await insertOrFindChat(tx, client.id, pro.id);
    const [offer] = await tx<OfferState[]>`
      insert into public.ofertas (chat_id, profesional_id, cliente_id, servicio_id, descripcion, precio_final, estado,
        fecha_expiracion, fecha_respuesta)
      values (${chat.id}, ${pro.id}, ${client.id}, ${service.id}, ${`Contratación: ${service.nombre}`},
        ${service.precio_fijo}::numeric, 'ACEPTADO', now() + make_interval(days => ${deps.offerExpiryDays}), now())
      returning ${tx.unsafe(OFFER_STATE)}`;
    const trabajoId = await createJob(tx, offer, client.id);
    await emitEvent(tx, {
      type: "offer.accepted",
      aggregateId: offer.id,
      producer: "chat-offers",
      payload: { ...offerPayload(offer, trabajoId), servicio_id: service.id },
    });
    const room: Room | null = created
      ? { chatId: chat.id, people: [personOf(client), personOf(pro)], trabajoId: null, ofertaId: null }
      : null;
    await postOfferCard(tx, deps, {
      chat,
      from: client,
      to: pro,
      text: `Contraté "${service.nombre}" por $${Number(service.precio_fijo)}`,
      card: { oferta_id: offer.id, precio_final: Number(service.precio_fijo), estado: "ACEPTADO" },
      room,
    });
    return { ofertaId: offer.id, trabajoId };
  });
}
