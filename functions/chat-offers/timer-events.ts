import type { EventHandlers } from "../../shared/event-receiver.ts";
import type { FirestoreHandle } from "../../shared/firestore.ts";
import { writeSystemMessage } from "./chat-store.ts";

/**
 * Events of the timers chat-offers reacts to (subscribed in EVENT_SUBSCRIBERS:
 * `chat-offers=…,job.expired`): an unpaid job the sweep cancelled gets a system message in its
 * offer's chat. The message id derives from the job, so a redelivery rewrites the same document;
 * Firestore is written last, so a Firestore failure rolls the inbox row back and QStash retries.
 */
export function timerEventHandlers(firestore: FirestoreHandle): EventHandlers {
  return {
    "job.expired": async (tx, event) => {
      const jobId = typeof event.payload.trabajo_id === "string"
        ? event.payload.trabajo_id
        : event.aggregate_id;
      const [job] = await tx<
        { id: string; chat_id: string | null; cliente_id: string; profesional_id: string }[]
      >`
        select id, chat_id, cliente_id, profesional_id from public.trabajos where id = ${jobId}`;
      if (!job?.chat_id) return;
      await tx`update public.chats set last_message_at = now() where id = ${job.chat_id}`;
      await tx`update public.chat_participantes set unread_count = unread_count + 1 where chat_id = ${job.chat_id}`;
      await writeSystemMessage(firestore, {
        chatId: job.chat_id,
        id: `vencido-${job.id}`,
        text: "El trabajo se canceló porque no se pagó a tiempo. Si todavía quieren hacerlo, " +
          "el profesional puede enviar una nueva oferta.",
        people: [job.cliente_id, job.profesional_id],
      });
    },
  };
}
