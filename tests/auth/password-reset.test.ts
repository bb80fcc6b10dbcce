import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it, testConfig } from "../support/env.ts";
import { emailsTo, waitFor } from "../events/helpers.ts";
import { client, loginUser, mailedToken, PASSWORD, registerUser, uniqueEmail } from "./support.ts";

const FORGOT = "Si el email existe, recibirás instrucciones para resetear tu contraseña.";

const resetToken = (email: string, nth = 1) => mailedToken(email, "reset-password", nth);

it("POST /auth/forgot-password answers the same 200 for known and unknown e-mails; only a known one gets a link", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const known = await http.json("POST", "/auth/forgot-password", { body: { email: email.toUpperCase() } });
  const unknown = await http.json("POST", "/auth/forgot-password", { body: { email: uniqueEmail("ghost") } });
  for (const res of [known, unknown]) {
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { message: FORGOT, success: true });
  }
  // The page auth serves at the API's origin (the frontend has none).
  const page = `${testConfig().PUBLIC_API_URL.replace(/\/+$/, "")}/reset-password`;
  const token = await resetToken(email);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const [mail] = await emailsTo(email).then((m) => m.filter((e) => e.text.includes("reset-password")));
  assert.ok(mail.text.includes(`${page}?token=${token}`), mail.text);
  // Our outbox copy loses the link once QStash has the event; the rest stays.
  const event = await waitFor(async () => {
    const [row] = await testSql()`select status, payload from public.outbox
      where aggregate_id = ${id} and type = 'password.reset_requested'`;
    return row?.status === "published" ? row : null;
  });
  assert.equal(event.payload.user_id, id);
  assert.equal(event.payload.email, email);
  assert.equal(event.payload.reset_url, undefined);
  const [stored] = await testSql()`select token_hash,
      extract(epoch from expires_at - created_at)::int as ttl_seconds
    from public.auth_one_time_tokens where user_id = ${id} and purpose = 'password_reset'`;
  assert.equal(stored.token_hash.length, 32, "stored as a SHA-256, not the token");
  assert.equal(stored.ttl_seconds, 3600, "valid for one hour");
});

it("POST /auth/forgot-password also takes the e-mail as a query parameter; without one it is 422", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  const res = await http.json("POST", `/auth/forgot-password?email=${encodeURIComponent(email)}`);
  assert.equal(res.status, 200);
  assert.ok(await resetToken(email));
  const missing = await http.json("POST", "/auth/forgot-password", { body: {} });
  assert.equal(missing.status, 422);
  assert.equal(typeof missing.body.detail, "string");
  assert.equal((await http.json("POST", "/auth/forgot-password", { body: { email: "nope" } })).status, 422);
});

it("POST /auth/reset-password sets the new password once, ends every session, and announces password.changed", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const before = await loginUser(http, email);
  await http.json("POST", "/auth/forgot-password", { body: { email } });
  const token = await resetToken(email);
  const res = await http.json("POST", "/auth/reset-password", {
    body: { token, new_password: "Nueva-clave-2026" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body, {
    message: "Contraseña actualizada exitosamente. Ya puedes iniciar sesión.",
    success: true,
  });
  const again = await http.json("POST", "/auth/reset-password", {
    body: { token, new_password: "Otra-clave-2026" },
  });
  assert.equal(again.status, 400);
  assert.equal(again.body.detail, "Token inválido o expirado");
  assert.equal((await http.json("GET", "/auth/me", { token: before.access_token })).status, 401);
  assert.equal(
    (await http.json("POST", "/auth/refresh", { body: { refresh_token: before.refresh_token } })).status,
    401,
  );
  assert.equal((await http.form("/auth/login", { username: email, password: PASSWORD })).status, 401);
  await loginUser(http, email, "Nueva-clave-2026");
  const [event] =
    await testSql()`select payload from public.outbox where aggregate_id = ${id} and type = 'password.changed'`;
  assert.equal(event.payload.via, "reset");
});

it("POST /auth/reset-password takes query parameters (the microservices' form) too", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  await http.json("POST", "/auth/forgot-password", { body: { email } });
  const token = await resetToken(email);
  const res = await http.json("POST", `/auth/reset-password?token=${token}&new_password=Query-clave-2026`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await loginUser(http, email, "Query-clave-2026");
});

it("POST /auth/reset-password refuses expired, unknown and superseded tokens (400) and weak passwords (422)", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  await http.json("POST", "/auth/forgot-password", { body: { email } });
  const first = await resetToken(email);
  await http.json("POST", "/auth/forgot-password", { body: { email } });
  const second = await resetToken(email, 2);
  const superseded = await http.json("POST", "/auth/reset-password", {
    body: { token: first, new_password: "Nueva-clave-2026" },
  });
  assert.equal(superseded.status, 400, "an older link stops working when a new one is sent");
  const weak = await http.json("POST", "/auth/reset-password", {
    body: { token: second, new_password: "12345678" },
  });
  assert.equal(weak.status, 422);
  await testSql()`update public.auth_one_time_tokens set created_at = now() - interval '2 hours',
    expires_at = now() - interval '1 hour' where user_id = ${id} and used_at is null`;
  const expired = await http.json("POST", "/auth/reset-password", {
    body: { token: second, new_password: "Nueva-clave-2026" },
  });
  assert.equal(expired.status, 400);
  const unknown = await http.json("POST", "/auth/reset-password", {
    body: { token: "x".repeat(43), new_password: "Nueva-clave-2026" },
  });
  assert.equal(unknown.status, 400);
  await loginUser(http, email, PASSWORD);
});
