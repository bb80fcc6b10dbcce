import assert from "node:assert/strict";
import { startFirestoreStandIn } from "../fakes/firestore-server.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { freePort, it, testEnv } from "../support/env.ts";
import { CONTACT_MESSAGE, createPro, strikes } from "./helpers.ts";

// A Firestore of its own, with a fault switch: the run's stand-in is shared by test files running
// in parallel. The gateway runs in a child process with its own configuration, so the faults
// injected here reach no other test file's requests.
const standIn = await startFirestoreStandIn();
const port = freePort();
const child = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "functions/gateway/index.ts"],
  cwd: testEnv().TEST_ROOT ?? new URL("../..", import.meta.url).pathname,
  env: {
    ...testEnv(),
    PORT: String(port),
    FIREBASE_SERVICE_ACCOUNT: JSON.stringify(standIn.serviceAccount),
    FIRESTORE_HOST: standIn.host,
    FIRESTORE_TIMEOUT_MS: "1500",
  },
  stdout: "null",
  stderr: "null",
}).spawn();
globalThis.addEventListener("unload", () => {
  child.kill();
  void standIn.stop();
});
const fault = (body: Record<string, unknown>) =>
  fetch(`${standIn.url}/stand-in/fault`, { method: "POST", body: JSON.stringify(body) }).then((r) =>
    r.json()
  );

async function gateway() {
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/health`).then((r) => (r.body?.cancel(), true), () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    // deno-lint-ignore no-explicit-any
    async json(method: string, path: string, options: { token: string; body?: unknown }): Promise<any> {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      return { status: response.status, body: await response.json() };
    },
  };
}

it("Firestore down: opening a chat and sending a message answer 503 and leave nothing in Postgres", async () => {
  const gw = await gateway();
  const client = await createAccount("CLIENTE");
  const pro = await createPro();

  await fault({ unavailable: true });
  const started = performance.now();
  const open = await gw.json("POST", "/chat/create", {
    token: client.token,
    body: { profesional_id: pro.profesionalId },
  });
  assert.equal(open.status, 503, JSON.stringify(open.body));
  assert.ok(performance.now() - started < 4000, "answered within the deadline");
  const rows = await testSql()`select 1 from public.chats where cliente_id = ${client.id}`;
  assert.equal(rows.length, 0);
  const events =
    await testSql()`select 1 from public.outbox where type = 'chat.created' and payload->>'cliente_id' = ${client.id}`;
  assert.equal(events.length, 0);

  await fault({ unavailable: false });
  const opened = await gw.json("POST", "/chat/create", {
    token: client.token,
    body: { profesional_id: pro.profesionalId },
  });
  assert.equal(opened.status, 201);
  const chatId = opened.body.chat_id;

  await fault({ unavailable: true });
  const sent = await gw.json("POST", `/chat/${chatId}/messages`, {
    token: client.token,
    body: { text: CONTACT_MESSAGE },
  });
  assert.equal(sent.status, 503);
  assert.deepEqual(await strikes(client.id), { infracciones_chat: 0, is_chat_banned: false });
  assert.equal(
    (await testSql()`select 1 from public.chat_infracciones where usuario_id = ${client.id}`).length,
    0,
  );
  const [chat] = await testSql()`select last_message_at from public.chats where id = ${chatId}`;
  assert.equal(chat.last_message_at, null);
  const [state] = await testSql()`select unread_count from public.chat_participantes
    where chat_id = ${chatId} and usuario_id = ${pro.id}`;
  assert.equal(state.unread_count, 0);
  assert.equal((await gw.json("GET", `/chat/${chatId}/messages`, { token: client.token })).status, 503);
  await fault({ unavailable: false });
  assert.equal(
    (await gw.json("POST", `/chat/${chatId}/messages`, { token: client.token, body: { text: "hola" } }))
      .status,
    201,
  );
});
