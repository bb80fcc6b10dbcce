import assert from "node:assert/strict";
import { createAccount } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { createPro, openChat } from "./helpers.ts";

const SOME_ID = "3f0c8f5e-6a43-4b8e-9d42-7a1d2c3b4e5f";
const ROUTES: [string, string, unknown?][] = [
  ["POST", "/chat/create", { profesional_id: SOME_ID }],
  ["POST", "/cliente/chat/create", { profesional_id: SOME_ID }],
  ["GET", "/chat/conversations"],
  ["GET", `/chat/${SOME_ID}`],
  ["GET", `/chat/${SOME_ID}/messages`],
  ["POST", `/chat/${SOME_ID}/messages`, { text: "hola" }],
  ["POST", `/chat/${SOME_ID}/read`],
  ["GET", "/admin/chat/infractions"],
  ["POST", `/admin/users/${SOME_ID}/chat-unban`],
];

it("every chat route answers 401 without a token and with a bad one", async () => {
  const gw = await api();
  for (const [method, path, body] of ROUTES) {
    for (const token of [undefined, "not-a-token"]) {
      const res = await gw.json(method, `/api/v1${path}`, { token, body });
      assert.equal(res.status, 401, `${method} ${path} token=${token}`);
      assert.equal(res.headers.get("www-authenticate"), "Bearer");
    }
  }
});

it("roles: admins list infractions and unban; clients and professionals cannot; admins do not open chats", async () => {
  const gw = await api();
  const [client, admin] = await Promise.all([createAccount("CLIENTE"), createAccount("ADMIN")]);
  const pro = await createPro();
  const forbidden: [string, string, string, unknown?][] = [
    [client.token, "GET", "/admin/chat/infractions"],
    [pro.token, "GET", "/admin/chat/infractions"],
    [client.token, "POST", `/admin/users/${client.id}/chat-unban`],
    [pro.token, "POST", "/cliente/chat/create", { profesional_id: SOME_ID }],
    [admin.token, "POST", "/chat/create", { profesional_id: SOME_ID }],
    // Role before validation: a wrong role with a bad body is still 403.
    [client.token, "GET", "/admin/chat/infractions?page=abc"],
  ];
  for (const [token, method, path, body] of forbidden) {
    const res = await gw.json(method, path, { token, body });
    assert.equal(res.status, 403, `${method} ${path}`);
  }
  assert.equal((await gw.json("GET", "/admin/chat/infractions", { token: admin.token })).status, 200);
});

it("validation: 422 for bodies and queries, 404 for malformed or unknown chat ids", async () => {
  const gw = await api();
  const client = await createAccount("CLIENTE");
  const pro = await createPro();
  const chat = await openChat(gw, client.token, pro.profesionalId);
  const cases: [string, string, unknown, number][] = [
    ["POST", "/chat/create", {}, 422],
    ["POST", "/chat/create", { profesional_id: "abc" }, 422],
    ["POST", "/chat/create", { profesional_id: pro.profesionalId, mensaje_inicial: "x".repeat(2001) }, 422],
    ["POST", "/chat/create", { profesional_id: SOME_ID }, 404],
    ["POST", `/chat/${chat.chat_id}/messages`, { text: "" }, 422],
    ["POST", `/chat/${chat.chat_id}/messages`, { text: "   " }, 422],
    ["POST", `/chat/${chat.chat_id}/messages`, { text: "x".repeat(2001) }, 422],
    ["POST", `/chat/${chat.chat_id}/messages`, {}, 422],
    ["GET", `/chat/${chat.chat_id}/messages?limit=abc`, undefined, 422],
    ["GET", `/chat/${chat.chat_id}/messages?before=ayer`, undefined, 422],
    ["GET", "/chat/conversations?page=x", undefined, 422],
    ["GET", "/chat/1", undefined, 404],
    ["GET", "/chat/1/messages", undefined, 404],
    ["POST", "/chat/abc/messages", { text: "hola" }, 404],
    ["POST", "/chat/abc/read", undefined, 404],
    ["GET", `/chat/${SOME_ID}`, undefined, 404],
    ["GET", `/chat/${SOME_ID}/messages`, undefined, 404],
    ["POST", `/chat/${SOME_ID}/messages`, { text: "hola" }, 404],
    ["POST", `/chat/${SOME_ID}/read`, undefined, 404],
  ];
  for (const [method, path, body, status] of cases) {
    const res = await gw.json(method, path, { token: client.token, body });
    assert.equal(
      res.status,
      status,
      `${method} ${path} ${JSON.stringify(body)?.slice(0, 60)}: ${JSON.stringify(res.body)}`,
    );
    if (status === 422) assert.equal(typeof res.body.detail, "string");
  }
  assert.equal(
    (await gw.json("POST", `/chat/${chat.chat_id}/messages`, {
      token: client.token,
      body: { text: "x".repeat(2000) },
    })).status,
    201,
  );
});
