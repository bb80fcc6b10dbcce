import assert from "node:assert/strict";
import { ruleRunner } from "./rule-test-kit.ts";

const run = ruleRunner();

Deno.test("chat.created tells the professional who opened the chat", async () => {
  const [draft] = await run("chat.created", { chat_id: "c1", cliente_id: "cli", profesional_id: "pro" });
  assert.equal(draft.to, "pro");
  assert.equal(draft.categoria, "mensajes");
  assert.match(draft.mensaje, /^Ana Cliente abrió un chat con vos/);
  assert.deepEqual(draft.data, { chat_id: "c1", cliente_id: "cli" });
});

Deno.test("chat.message_sent tells the recipient with the (masked) preview, never the sender", async () => {
  const [draft] = await run("chat.message_sent", {
    chat_id: "c1",
    sender_id: "cli",
    recipient_id: "pro",
    preview: "llamame al [dato de contacto oculto]",
  });
  assert.equal(draft.to, "pro");
  assert.equal(draft.titulo, "Nuevo mensaje de Ana Cliente");
  assert.equal(draft.mensaje, "llamame al [dato de contacto oculto]");
  assert.deepEqual(draft.data, { chat_id: "c1", sender_id: "cli" });
  assert.deepEqual(await run("chat.message_sent", { sender_id: "cli", recipient_id: "cli" }), []);
});

Deno.test("chat.banned and chat.unbanned tell the user, in Spanish, in the account category", async () => {
  const [banned] = await run("chat.banned", { user_id: "cli", infracciones_chat: 3 });
  assert.equal(banned.to, "cli");
  assert.equal(banned.categoria, "cuenta");
  assert.equal(banned.titulo, "Tu chat fue bloqueado");
  assert.match(banned.mensaje, /3 veces/);
  const [unbanned] = await run("chat.unbanned", { user_id: "cli" });
  assert.equal(unbanned.titulo, "Tu chat está habilitado otra vez");
});
