import { api } from "../support/gateway.ts";
import { type TestAccount, testSql } from "../support/accounts.ts";
import { signTestToken } from "../support/tokens.ts";

/** A token of `account` minted a few seconds ago — what a client holds when a ban or role change happens. */
export function earlierToken(account: TestAccount, secondsAgo = 5): Promise<string> {
  return signTestToken(
    { sub: account.id, rol: account.rol, email: account.email },
    { issuedAt: Math.floor(Date.now() / 1000) - secondsAgo },
  );
}

/** A token minted now (after any ban/role change), as a fresh login would give. */
export function freshToken(account: TestAccount, rol = account.rol): Promise<string> {
  return signTestToken({ sub: account.id, rol, email: account.email });
}

/** POST /users/me/avatar with one multipart part named `field` (default `file`). */
export async function uploadAvatar(
  token: string | null,
  file: { name: string; bytes: Uint8Array; type?: string } | null,
  field = "file",
) {
  const form = new FormData();
  if (file) form.append(field, new File([file.bytes as BlobPart], file.name, { type: file.type ?? "" }));
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const response = await (await api()).fetch("/api/v1/users/me/avatar", {
    method: "POST",
    body: form,
    headers,
  });
  const text = await response.text();
  // deno-lint-ignore no-explicit-any
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch { /* not JSON */ }
  return { status: response.status, headers: response.headers, body };
}

/** Events the users function wrote to the outbox for `aggregateId`. */
export async function outboxEvents(aggregateId: string, type: string) {
  return await testSql()<{ type: string; producer: string; payload: Record<string, unknown> }[]>`
    select type, producer, payload from public.outbox
    where aggregate_id = ${aggregateId} and type = ${type} order by created_at`;
}

/** A marker unique to one test, to put in names and find exactly its own accounts. */
export function marker(prefix = "T"): string {
  return `${prefix}${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
}

export const USER_READ_KEYS = [
  "apellido",
  "avatar_url",
  "created_at",
  "email",
  "es_admin",
  "es_cliente",
  "es_profesional",
  "fecha_creacion",
  "id",
  "infracciones_chat",
  "is_active",
  "is_chat_banned",
  "nombre",
  "rol",
];
