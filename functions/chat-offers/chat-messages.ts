import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { emitEvent } from "../../shared/events.ts";
import { type ChatRow, type Chatter, personOf } from "./chat-rooms.ts";
import type { OutgoingMessage } from "./chat-store.ts";
import { maskContacts } from "./contact-masking.ts";
import { recordInfraction, type Strike } from "./moderation.ts";

/**
 * A message sent through the API, up to the moment it is written to Firestore: contact details
 * masked unless the two may exchange them, the sender's strike counted when something was
 * masked, activity and the recipient's unread count moved, and `chat.message_sent` emitted at
 * most once per recipient, chat and debounce window — and not while the recipient is reading.
 */
export type ChatRules = { maxInfractions: number; notifyDebounceSeconds: number };
export type ComposedMessage = { message: OutgoingMessage; strike: Strike | null };

/**
 * Whether contact details may pass between the chat's two people: only once a job between them
 * is paid (PAGADO or later; a cancelled job does not count, even if it had been paid).
 */
export async function contactAllowed(
  tx: Tx,
  chat: Pick<ChatRow, "cliente_id" | "profesional_id">,
): Promise<boolean> {
  const [row] = await tx<{ paid: boolean }[]>`
    select exists (
      select 1 from public.trabajos t
      where t.cliente_id = ${chat.cliente_id} and t.profesional_id = ${chat.profesional_id}
        and t.estado in ('PAGADO', 'EN_PROCESO', 'COMPLETADO', 'APROBADO')
    ) as paid`;
  return row.paid;
}

/**
 * Text one of the two writes for the other outside chat (an offer's description, a comment on the
 * job, why it was cancelled): contact details masked as in chat until a job between them is paid,
 * and refused when masking makes it longer than the field takes.
 *
 * @example
 * const texto = await forTheOtherParty(tx, job, input.texto, 2000);
 */
export async function forTheOtherParty(
  tx: Tx,
  pair: Pick<ChatRow, "cliente_id" | "profesional_id">,
  text: string,
  maxLength: number,
): Promise<string> {
  if (await contactAllowed(tx, pair)) return text;
  const masked = maskContacts(text).text;
  if (masked.length > maxLength) {
    throw new AppError(
      "validation_failed",
      `Con los datos de contacto ocultos el texto supera los ${maxLength} caracteres: acortalo`,
    );
  }
  return masked;
}

export async function composeMessage(
  tx: Tx,
  input: { chat: ChatRow; sender: Chatter; recipient: Chatter; text: string; rules: ChatRules },
): Promise<ComposedMessage> {
  const { chat, sender, recipient, rules } = input;
  const id = crypto.randomUUID();
  const masked = await contactAllowed(tx, chat)
    ? { text: input.text, censored: false, reasons: [] as string[] }
    : maskContacts(input.text);
  const strike = masked.censored
    ? await recordInfraction(tx, {
      userId: sender.id,
      source: "masking",
      reasons: [...masked.reasons],
      maxInfractions: rules.maxInfractions,
      chatId: chat.id,
      messageId: id,
      text: input.text,
    })
    : null;
  await tx`update public.chats set last_message_at = now() where id = ${chat.id}`;
  if (await bumpRecipient(tx, chat.id, recipient.id, rules.notifyDebounceSeconds)) {
    await emitEvent(tx, {
      type: "chat.message_sent",
      aggregateId: chat.id,
      producer: "chat-offers",
      payload: {
        chat_id: chat.id,
        message_id: id,
        sender_id: sender.id,
        recipient_id: recipient.id,
        recipient_ids: [recipient.id],
        preview: masked.text.slice(0, 100),
        censored: masked.censored,
      },
    });
  }
  const message: OutgoingMessage = {
    id,
    chatId: chat.id,
    sender: personOf(sender),
    recipient: personOf(recipient),
    text: masked.text,
    censored: masked.censored,
    censorReasons: [...masked.reasons],
    trabajoId: chat.trabajo_id,
  };
  return { message, strike };
}

/**
 * One more unread message for the recipient; true when they should be told now: not notified
 * within the window and not reading (read the chat within it).
 */
async function bumpRecipient(tx: Tx, chatId: string, userId: string, windowSeconds: number) {
  const [row] = await tx<{ notify: boolean }[]>`
    with previous as (
      select last_notified_at, last_read_at from public.chat_participantes
      where chat_id = ${chatId} and usuario_id = ${userId}
      for update
    ), decision as (
      select (last_notified_at is null or last_notified_at <= now() - make_interval(secs => ${windowSeconds}))
        and (last_read_at is null or last_read_at <= now() - make_interval(secs => ${windowSeconds})) as notify
      from previous
    )
    update public.chat_participantes p
    set unread_count = p.unread_count + 1,
        last_notified_at = case when d.notify then now() else p.last_notified_at end
    from decision d
    where p.chat_id = ${chatId} and p.usuario_id = ${userId}
    returning d.notify`;
  return row?.notify ?? false;
}
