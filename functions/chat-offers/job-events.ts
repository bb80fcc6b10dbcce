import type { EventHandlers } from "../../shared/event-receiver.ts";
import { PermanentEventError } from "../../shared/event-receiver.ts";
import type { FirestoreHandle } from "../../shared/firestore.ts";
import { writeSystemMessage } from "./chat-store.ts";

/**
 * Events chat-offers reacts to (subscribed in EVENT_SUBSCRIBERS: `chat-offers=job.paid`):
 * - `job.paid` (emitted by `public.trabajo_marcar_pagado`, payments' call) → a system message
 *   "Pago confirmado…" in the job's chat, and the chat's `trabajoId` in Firestore so the chat page
 *   links the job. The message id derives from the job, so a redelivery rewrites the same
 *   document; Firestore is written last, so a Firestore failure rolls the inbox row back and
 *   QStash retries.
 */
export function jobEventHandlers(firestore: FirestoreHandle): EventHandlers {
  return {
    "job.paid": async (tx, event) => {
      const jobId = typeof event.payload.trabajo_id === "string"
        ? event.payload.trabajo_id
        : event.aggregate_id;
      const [job] = await tx<
        {
          id: string;
          chat_id: string | null;
          cliente_id: string;
          profesional_id: string;
          oferta_id: string;
        }[]
      >`select id, chat_id, cliente_id, profesional_id, oferta_id from public.trabajos where id = ${jobId}`;
      if (!job) throw new PermanentEventError(`job.paid de un trabajo que no existe: ${jobId}`);
      if (!job.chat_id) return;
      await tx`update public.chats set last_message_at = now() where id = ${job.chat_id}`;
      await tx`update public.chat_participantes set unread_count = unread_count + 1 where chat_id = ${job.chat_id}`;
      await writeSystemMessage(firestore, {
        chatId: job.chat_id,
        id: `pago-${job.id}`,
        text: "Pago confirmado: el dinero queda protegido hasta que el cliente apruebe el trabajo. " +
          "El profesional ya puede comenzar.",
        people: [job.cliente_id, job.profesional_id],
        link: { trabajoId: job.id, ofertaId: job.oferta_id },
      });
    },
  };
}
