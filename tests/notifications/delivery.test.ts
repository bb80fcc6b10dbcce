import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import {
  emailsTo,
  emit,
  markTokenUnregistered,
  notificationsOf,
  pushesTo,
  waitFor,
} from "../events/helpers.ts";

/**
 * Events written in a transaction (the production path) travel outbox → relay → QStash stand-in
 * → functions host → notifications, and come out as in-app notifications, e-mails in the sink
 * and pushes at the FCM stand-in — as each person's preferences allow.
 */
const someNotification = (userId: string) => notificationsOf(userId).then((n) => n.length ? n : null);
const someEmail = (address: string) => emailsTo(address).then((m) => m.length ? m : null);
const deliveriesOf = (eventId: string) =>
  testSql()`select channel, status from public.notification_deliveries where event_id = ${eventId} order by channel`;
const settled = (eventId: string) =>
  deliveriesOf(eventId).then((rows) =>
    rows.length > 0 && rows.every((r) => !["pending", "sending"].includes(r.status))
  );

async function registerDevice(token: string, device: string) {
  const response = await (await api()).json("POST", "/notifications/fcm-token", {
    token,
    body: { fcmToken: device },
  });
  assert.equal(response.status, 200);
}
const deviceToken = () => `dev-${crypto.randomUUID()}`;

it("user.registered → a welcome e-mail in the sink and an in-app notification", async () => {
  const user = await createAccount("PROFESIONAL", { nombre: "Lucía" });
  const eventId = await emit("user.registered", { user_id: user.id, rol: "PROFESIONAL" });
  const [note] = await waitFor(() => someNotification(user.id), { what: "in-app welcome" });
  assert.equal(note.titulo, "¡Te damos la bienvenida a ConectarProfesionales!");
  assert.match(note.mensaje, /cuenta de profesional/);
  const [mail] = await waitFor(() => someEmail(user.email), { what: "welcome e-mail" });
  assert.equal(mail.subject, "Bienvenido a ConectarProfesionales");
  assert.match(mail.text, /^Hola Lucía,/);
  assert.match(mail.html, /Hola Lucía/);
  await waitFor(() => settled(eventId));
  assert.deepEqual((await deliveriesOf(eventId)).map((d) => [d.channel, d.status]), [["email", "sent"]]);
});

it("password.reset_requested → an e-mail with the single-use link, no in-app copy, no stored secret", async () => {
  const user = await createAccount("CLIENTE");
  const secret = `reset-${crypto.randomUUID()}`;
  const eventId = await emit("password.reset_requested", {
    user_id: user.id,
    email: user.email,
    token: secret,
  });
  const [mail] = await waitFor(() => someEmail(user.email), { what: "reset e-mail" });
  assert.equal(mail.subject, "Restablecé tu contraseña");
  const link = /https?:\/\/\S+reset-password\?token=(\S+)/.exec(mail.text);
  assert.ok(link, mail.text);
  assert.equal(decodeURIComponent(link[1]), secret);
  assert.equal((await notificationsOf(user.id)).length, 0);
  await waitFor(() => settled(eventId));
  const [row] =
    await testSql()`select payload from public.notification_deliveries where event_id = ${eventId}`;
  assert.ok(!JSON.stringify(row.payload).includes(secret), "the sent e-mail's body was erased");
});

it("offer.created → the client is told in-app, by e-mail and by push on each registered device", async () => {
  const [client, pro] = [
    await createAccount("CLIENTE"),
    await createAccount("PROFESIONAL", { nombre: "Pablo", apellido: "Gómez" }),
  ];
  const [phone, laptop] = [deviceToken(), deviceToken()];
  await registerDevice(client.token, phone);
  await registerDevice(client.token, laptop);
  const ofertaId = crypto.randomUUID();
  const eventId = await emit("offer.created", {
    oferta_id: ofertaId,
    cliente_id: client.id,
    profesional_id: pro.id,
    precio: "1500",
  });
  const [note] = await waitFor(() => someNotification(client.id));
  assert.equal(note.mensaje, "Pablo Gómez te envió una oferta de $1500.00.");
  assert.deepEqual(note.data, { oferta_id: ofertaId });
  await waitFor(() => settled(eventId));
  assert.deepEqual((await deliveriesOf(eventId)).map((d) => [d.channel, d.status]), [["email", "sent"], [
    "push",
    "sent",
  ]]);
  for (const device of [phone, laptop]) {
    const [push] = await pushesTo(device);
    const message = push.message as {
      notification: { title: string; body: string };
      data: Record<string, string>;
    };
    assert.equal(message.notification.title, "Nueva oferta recibida");
    assert.deepEqual(message.data, { tipo: "OFERTA_RECIBIDA", event_id: eventId, oferta_id: ofertaId });
  }
  assert.equal((await emailsTo(client.email)).length, 1);
  assert.equal((await emailsTo(pro.email)).length, 0, "the professional is not told of their own offer");
});

it("preferences are respected: with e-mail and push for offers off, only the in-app notification is made", async () => {
  const [client, pro] = [await createAccount("CLIENTE"), await createAccount("PROFESIONAL")];
  const device = deviceToken();
  await registerDevice(client.token, device);
  await (await api()).json("PUT", "/notifications/preferences", {
    token: client.token,
    body: { email_ofertas: false, push_ofertas: false },
  });
  const eventId = await emit("offer.created", {
    oferta_id: crypto.randomUUID(),
    cliente_id: client.id,
    profesional_id: pro.id,
  });
  await waitFor(() => someNotification(client.id));
  assert.equal((await deliveriesOf(eventId)).length, 0);
  assert.equal((await emailsTo(client.email)).length, 0);
  assert.equal((await pushesTo(device)).length, 0);
});

it("a chat message is not pushed by default (the original's push_mensajes=false) but is e-mailed", async () => {
  const [a, b] = [await createAccount("CLIENTE"), await createAccount("PROFESIONAL")];
  const device = deviceToken();
  await registerDevice(b.token, device);
  const eventId = await emit("message.created", {
    chat_id: "chat-1",
    sender_id: a.id,
    recipient_ids: [a.id, b.id],
    preview: "Hola!",
  });
  await waitFor(() => settled(eventId));
  assert.deepEqual((await deliveriesOf(eventId)).map((d) => d.channel), ["email"]);
  assert.equal((await notificationsOf(a.id)).length, 0, "the sender is not notified");
  assert.equal((await notificationsOf(b.id))[0].titulo.startsWith("Nuevo mensaje de"), true);
  assert.equal((await pushesTo(device)).length, 0);
});

it("a device FCM reports as UNREGISTERED is forgotten; the person's other device still gets the push", async () => {
  const [client, pro] = [await createAccount("CLIENTE"), await createAccount("PROFESIONAL")];
  const [gone, alive] = [deviceToken(), deviceToken()];
  await registerDevice(client.token, gone);
  await registerDevice(client.token, alive);
  await markTokenUnregistered(gone);
  const eventId = await emit("job.completed", {
    trabajo_id: crypto.randomUUID(),
    cliente_id: client.id,
    profesional_id: pro.id,
  });
  await waitFor(() => settled(eventId));
  assert.equal((await pushesTo(alive)).length, 1);
  assert.equal((await pushesTo(gone)).length, 0);
  const left = await testSql()`select token from public.device_tokens where usuario_id = ${client.id}`;
  assert.deepEqual(left.map((r) => r.token), [alive]);
});

it("a push to a person whose only device is gone ends as skipped, not retried forever", async () => {
  const [client, pro] = [await createAccount("CLIENTE"), await createAccount("PROFESIONAL")];
  const gone = deviceToken();
  await registerDevice(client.token, gone);
  await markTokenUnregistered(gone);
  const eventId = await emit("job.started", {
    trabajo_id: crypto.randomUUID(),
    cliente_id: client.id,
    profesional_id: pro.id,
  });
  await waitFor(() => settled(eventId));
  assert.deepEqual((await deliveriesOf(eventId)).map((d) => [d.channel, d.status]), [["email", "sent"], [
    "push",
    "skipped",
  ]]);
});

it("kyc.approved finds the professional's account from the profile id and tells them on every channel", async () => {
  const pro = await createAccount("PROFESIONAL");
  await registerDevice(pro.token, deviceToken());
  const eventId = await emit("kyc.approved", { profesional_id: pro.profesionalId }, {
    aggregateId: pro.profesionalId,
  });
  const [note] = await waitFor(() => someNotification(pro.id));
  assert.equal(note.tipo, "KYC_APROBADO");
  await waitFor(() => settled(eventId));
  assert.deepEqual((await deliveriesOf(eventId)).map((d) => [d.channel, d.status]), [["email", "sent"], [
    "push",
    "sent",
  ]]);
});
