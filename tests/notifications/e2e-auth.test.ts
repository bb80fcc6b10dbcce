import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { emailsTo, notificationsOf, waitFor } from "../events/helpers.ts";

/**
 * The acceptance path end to end through the local stack: auth's routes write their events in
 * the outbox → the relay publishes them to the QStash stand-in → it delivers them, signed, to
 * the notifications function → e-mails land in the sink and notifications in the table.
 */
const ip = () => `10.6.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const address = () => `e2e-${crypto.randomUUID().slice(0, 12)}@example.com`;

async function register(email: string, password: string) {
  const response = await (await api()).json("POST", "/auth/register", {
    body: { email, password, nombre: "Carla", apellido: "Pérez", rol: "CLIENTE" },
    headers: { "x-forwarded-for": ip() },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body as { id: string };
}

it("register → user.registered → QStash → notifications: welcome e-mail in the sink and an in-app notification", async () => {
  const email = address();
  const user = await register(email, "Una-clave-segura-1");
  const [event] =
    await testSql()`select id, status from public.outbox where aggregate_id = ${user.id} and type = 'user.registered'`;
  assert.ok(event, "user.registered is in the outbox");
  const welcome = await waitFor(
    () => emailsTo(email).then((m) => m.find((e) => e.subject === "Bienvenido a ConectarProfesionales")),
    { what: "welcome e-mail" },
  );
  assert.match(welcome.text, /^Hola Carla,/);
  const [note] = await waitFor(() => notificationsOf(user.id).then((n) => n.length ? n : null), {
    what: "in-app",
  });
  assert.equal(note.tipo, "BIENVENIDA");
  assert.equal(note.event_id, event.id);
  const [after] = await testSql()`select status from public.outbox where id = ${event.id}`;
  assert.equal(after.status, "published");
  // Registration also asks to confirm the address.
  await waitFor(() =>
    emailsTo(email).then((m) => m.some((e) => e.subject === "Confirmá tu correo electrónico"))
  );
});

it("forgot-password → the e-mail in the sink carries a link whose token resets the password", async () => {
  const email = address();
  const user = await register(email, "Clave-original-123");
  const client = await api();
  const forgot = await client.json("POST", "/auth/forgot-password", {
    body: { email },
    headers: { "x-forwarded-for": ip() },
  });
  assert.equal(forgot.status, 200);
  const mail = await waitFor(
    () => emailsTo(email).then((m) => m.find((e) => e.subject === "Restablecé tu contraseña")),
    { what: "reset e-mail" },
  );
  const link = /(https?:\/\/\S+\/reset-password\?token=\S+)/.exec(mail.text)?.[1];
  assert.ok(link, mail.text);
  assert.ok(mail.html.includes("reset-password?token="));
  const token = new URL(link).searchParams.get("token")!;

  const reset = await client.json("POST", "/auth/reset-password", {
    body: { token, new_password: "Clave-nueva-456" },
    headers: { "x-forwarded-for": ip() },
  });
  assert.equal(reset.status, 200, JSON.stringify(reset.body));
  const login = await client.json("POST", "/auth/login", {
    body: { email, password: "Clave-nueva-456" },
    headers: { "x-forwarded-for": ip() },
  });
  assert.equal(login.status, 200);
  const old = await client.json("POST", "/auth/login", {
    body: { email, password: "Clave-original-123" },
    headers: { "x-forwarded-for": ip() },
  });
  assert.equal(old.status, 401);
  // …and the owner is told their password changed (password.changed → in-app + e-mail).
  await waitFor(() => notificationsOf(user.id).then((n) => n.some((x) => x.tipo === "CONTRASENA_CAMBIADA")));
  await waitFor(() => emailsTo(email).then((m) => m.some((e) => e.subject === "Tu contraseña fue cambiada")));
});
