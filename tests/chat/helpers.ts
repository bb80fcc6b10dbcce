import { testSql } from "../support/accounts.ts";
import { testEnv } from "../support/env.ts";
import { type TestApi } from "../support/gateway.ts";
import { createPro, type Pro } from "../professionals/helpers.ts";

/**
 * Fixtures for the chat tests: approved professionals, opened chats, the run's Firestore
 * stand-in read through its inspection hooks, and the strike columns users owns.
 */
export { createPro, type Pro };

const standInUrl = () => `http://${testEnv().FIRESTORE_HOST}`;

/** A document as the stand-in stores it (`data` in plain JSON; timestamps as ISO strings), or null. */
// deno-lint-ignore no-explicit-any
export async function firestoreDoc(path: string): Promise<{ data: any } | null> {
  const response = await fetch(`${standInUrl()}/stand-in/documents/${path}`);
  if (!response.ok) {
    await response.body?.cancel();
    return null;
  }
  return await response.json();
}

// deno-lint-ignore no-explicit-any
export async function firestoreDocs(prefix: string): Promise<{ path: string; data: any }[]> {
  const response = await fetch(`${standInUrl()}/stand-in/documents?prefix=${encodeURIComponent(prefix)}`);
  return (await response.json()).documents;
}

export async function strikes(
  userId: string,
): Promise<{ infracciones_chat: number; is_chat_banned: boolean }> {
  const [row] =
    await testSql()`select infracciones_chat, is_chat_banned from public.usuarios where id = ${userId}`;
  return { infracciones_chat: row.infracciones_chat, is_chat_banned: row.is_chat_banned };
}

export async function openChat(api: TestApi, token: string, profesionalId: string, mensaje?: string) {
  const res = await api.json("POST", "/api/v1/chat/create", {
    token,
    body: { profesional_id: profesionalId, ...(mensaje ? { mensaje_inicial: mensaje } : {}) },
  });
  if (res.status !== 201 && res.status !== 200) {
    throw new Error(`open chat: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

export function send(api: TestApi, token: string, chatId: string, text: string) {
  return api.json("POST", `/api/v1/chat/${chatId}/messages`, { token, body: { text } });
}

export const webhookKey = () => testEnv().CHAT_WEBHOOK_API_KEY;
export const CONTACT_MESSAGE = "llamame al 11 5555-4444 o escribime a juan@mail.com";
