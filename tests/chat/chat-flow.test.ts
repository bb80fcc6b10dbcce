import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { createPro, firestoreDoc, firestoreDocs, openChat, send } from "./helpers.ts";

it("a client opens a chat by profile id, both exchange messages, Firestore holds the three documents", async () => {
  const gw = await api();
  const client = await createAccount("CLIENTE", { nombre: "Ana", apellido: "Cliente" });
  const pro = await createPro({ nombre: "Pablo", apellido: "Plomero" });

  const opened = await gw.json("POST", "/api/v1/cliente/chat/create", {
    token: client.token,
    body: { profesional_id: pro.profesionalId },
  });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const chatId = opened.body.chat_id;
  assert.equal(opened.body.created, true);
  assert.deepEqual(opened.body.participants, [client.id, pro.id].sort());
  assert.equal(opened.body.cliente_id, client.id);
  assert.equal(opened.body.profesional_id, pro.id);
  assert.equal(opened.body.profesional_perfil_id, pro.profesionalId);
  assert.equal(opened.body.other_user.nombre_completo, "Pablo Plomero");

  // The same pair again (by user id this time): the same chat, never a duplicate.
  const again = await gw.json("POST", "/chat/create", {
    token: client.token,
    body: { profesional_id: pro.id },
  });
  assert.equal(again.status, 201, "the contract's 201 for the chat the two already had too");
  assert.equal(again.body.created, false);
  assert.equal(again.body.chat_id, chatId);
  const [{ count }] = await testSql()`select count(*)::int as count from public.chats
    where cliente_id = ${client.id} and profesional_id = ${pro.id}`;
  assert.equal(count, 1);

  const room = await firestoreDoc(`chats/${chatId}`);
  assert.ok(room, "chats/{chatId} exists");
  assert.deepEqual(room.data.participants, [client.id, pro.id].sort());
  assert.equal(room.data.participantsData[pro.id].name, "Pablo Plomero");
  assert.equal(room.data.participantsData[client.id].role, "CLIENTE");
  assert.equal(room.data.trabajoId, null);
  assert.ok(room.data.createdAt && room.data.updatedAt);

  const hello = await send(gw, client.token, chatId, "Hola, ¿podés venir el martes a las 15?");
  assert.equal(hello.status, 201, JSON.stringify(hello.body));
  assert.equal(hello.body.censored, false);
  assert.equal(hello.body.moderation, null);
  const reply = await send(gw, pro.token, chatId, "Sí, el presupuesto es $ 15.000");
  assert.equal(reply.status, 201);
  assert.equal(reply.body.text, "Sí, el presupuesto es $ 15.000");
  await send(gw, pro.token, chatId, "Confirmame la dirección");

  const message = await firestoreDoc(`messages/${chatId}/messages/${hello.body.id}`);
  assert.ok(message, "messages/{chatId}/messages/{id} exists");
  assert.equal(message.data.senderId, client.id);
  assert.equal(message.data.senderName, "Ana Cliente");
  assert.equal(message.data.text, "Hola, ¿podés venir el martes a las 15?");
  assert.equal(message.data.type, "text");
  assert.equal(message.data.read, false);
  assert.ok(message.data.timestamp);

  const mine = await firestoreDoc(`user_chats/${client.id}/chats/${chatId}`);
  const theirs = await firestoreDoc(`user_chats/${pro.id}/chats/${chatId}`);
  assert.ok(mine && theirs);
  assert.equal(mine.data.unreadCount, 2);
  assert.equal(theirs.data.unreadCount, 1);
  assert.equal(mine.data.lastMessage, "Confirmame la dirección");
  assert.equal(mine.data.otherUserId, pro.id);
  assert.equal(mine.data.otherUserName, "Pablo Plomero");
  assert.equal(mine.data.otherUserPhoto, null);
  assert.equal(mine.data.trabajoId, null);
  assert.ok(mine.data.lastMessageTime);
  assert.equal(theirs.data.otherUserId, client.id);
  assert.equal((await firestoreDoc(`chats/${chatId}`))!.data.lastMessage.text, "Confirmame la dirección");

  const list = await gw.json("GET", "/api/v1/chat/conversations", { token: client.token });
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 1);
  assert.equal(list.body.items[0].chat_id, chatId);
  assert.equal(list.body.items[0].unread_count, 2);
  assert.equal(list.body.items[0].other_user.nombre, "Pablo");

  const page = await gw.json("GET", `/chat/${chatId}/messages`, { token: pro.token });
  assert.equal(page.status, 200);
  assert.deepEqual(page.body.items.map((m: { text: string }) => m.text), [
    "Hola, ¿podés venir el martes a las 15?",
    "Sí, el presupuesto es $ 15.000",
    "Confirmame la dirección",
  ]);
  const older = await gw.json("GET", `/chat/${chatId}/messages?limit=2`, { token: pro.token });
  assert.equal(older.body.items.length, 2);
  assert.equal(older.body.has_more, true);

  const read = await gw.json("POST", `/chat/${chatId}/read`, { token: client.token });
  assert.equal(read.status, 200);
  assert.equal(read.body.marked_read, 2);
  assert.equal((await firestoreDoc(`user_chats/${client.id}/chats/${chatId}`))!.data.unreadCount, 0);
  const replies = await firestoreDocs(`messages/${chatId}/messages/`);
  for (const doc of replies) assert.equal(doc.data.read, doc.data.senderId === pro.id, doc.path);
  const view = await gw.json("GET", `/chat/${chatId}`, { token: client.token });
  assert.equal(view.status, 200);
  assert.equal(view.body.unread_count, 0);
  const proView = await gw.json("GET", `/chat/${chatId}`, { token: pro.token });
  assert.equal(proView.body.unread_count, 1);

  // A third person: 404 on every route of the chat.
  const stranger = await createAccount("CLIENTE");
  for (
    const [method, path, body] of [
      ["GET", `/chat/${chatId}`],
      ["GET", `/chat/${chatId}/messages`],
      ["POST", `/chat/${chatId}/messages`, { text: "hola" }],
      ["POST", `/chat/${chatId}/read`],
    ] as const
  ) {
    const res = await gw.json(method, `/api/v1${path}`, { token: stranger.token, body });
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.equal(res.body.detail, "Chat no encontrado");
  }
  const strangerList = await gw.json("GET", "/chat/conversations", { token: stranger.token });
  assert.equal(strangerList.body.total, 0);
});

it("an admin reads any chat's messages, but the chat itself is for its participants", async () => {
  const gw = await api();
  const [client, admin] = await Promise.all([createAccount("CLIENTE"), createAccount("ADMIN")]);
  const pro = await createPro();
  const chat = await openChat(gw, client.token, pro.profesionalId, "Hola, necesito un plomero");
  assert.equal(chat.mensaje.text, "Hola, necesito un plomero");
  const page = await gw.json("GET", `/chat/${chat.chat_id}/messages`, { token: admin.token });
  assert.equal(page.status, 200);
  assert.equal(page.body.items.length, 1);
  assert.equal((await gw.json("GET", `/chat/${chat.chat_id}`, { token: admin.token })).status, 404);
  assert.equal((await send(gw, admin.token, chat.chat_id, "hola")).status, 404);
});

it("chats open only with active, approved professionals", async () => {
  const gw = await api();
  const client = await createAccount("CLIENTE");
  const pending = await createPro({ estado: "PENDIENTE" });
  const res = await gw.json("POST", "/chat/create", {
    token: client.token,
    body: { profesional_id: pending.profesionalId },
  });
  assert.equal(res.status, 400);
  assert.match(res.body.detail, /PENDIENTE/);
  const otherClient = await createAccount("CLIENTE");
  const notPro = await gw.json("POST", "/chat/create", {
    token: client.token,
    body: { profesional_id: otherClient.id },
  });
  assert.equal(notPro.status, 404);
  assert.equal(notPro.body.detail, "Profesional no encontrado");
  const inactive = await createPro();
  await testSql()`update public.usuarios set is_active = false where id = ${inactive.id}`;
  const gone = await gw.json("POST", "/chat/create", {
    token: client.token,
    body: { profesional_id: inactive.profesionalId },
  });
  assert.equal(gone.status, 404);
  const self = await createPro();
  const own = await gw.json("POST", "/chat/create", {
    token: self.token,
    body: { profesional_id: self.profesionalId },
  });
  assert.equal(own.status, 400);
});

it("a burst of messages emits one chat.message_sent for the recipient", async () => {
  const gw = await api();
  const client = await createAccount("CLIENTE");
  const pro = await createPro();
  const chat = await openChat(gw, client.token, pro.profesionalId);
  for (const text of ["uno", "dos", "tres"]) {
    assert.equal((await send(gw, client.token, chat.chat_id, text)).status, 201);
  }
  const events = await testSql()`select type, payload from public.outbox
    where aggregate_id = ${chat.chat_id} order by created_at`;
  assert.deepEqual(events.map((e) => e.type), ["chat.created", "chat.message_sent"]);
  assert.equal(events[1].payload.recipient_id, pro.id);
  assert.equal(events[1].payload.preview, "uno");
});
