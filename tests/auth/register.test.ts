import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it, testConfig } from "../support/env.ts";
import { emailsTo, waitFor } from "../events/helpers.ts";
import { client, mailedToken, PASSWORD, registerUser, uniqueEmail } from "./support.ts";

const base = { password: PASSWORD, nombre: "Ana", apellido: "Paz" };

it("POST /auth/register creates a CLIENTE with a scrypt credential and answers the full UserRead (201)", async () => {
  const http = await client();
  const email = uniqueEmail("Cliente");
  const res = await http.json("POST", "/auth/register", {
    body: {
      ...base,
      email: `  ${email.toUpperCase()} `,
      rol: "CLIENTE",
      telefono: "1155550000",
      is_active: false,
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.email, email.toLowerCase());
  assert.equal(res.body.rol, "CLIENTE");
  assert.equal(res.body.is_active, true, "unknown/extra fields are ignored");
  assert.equal(res.body.es_cliente, true);
  assert.equal(res.body.email_verificado, false);
  for (
    const field of [
      "id",
      "nombre",
      "apellido",
      "fecha_creacion",
      "avatar_url",
      "infracciones_chat",
      "is_chat_banned",
    ]
  ) {
    assert.ok(field in res.body, field);
  }
  const [row] = await testSql()`select u.email, u.rol, c.password_hash, c.email_verificado_at
    from public.usuarios u join public.auth_credentials c on c.user_id = u.id where u.id = ${res.body.id}`;
  assert.equal(row.email, email.toLowerCase());
  assert.match(row.password_hash, /^\$scrypt\$ln=14,r=8,p=5\$/);
  assert.equal(row.email_verificado_at, null);
});

it("POST /auth/register emits user.registered and email.verification_requested in the outbox", async () => {
  const { id, email } = await registerUser(await client());
  const events =
    await testSql()`select type, payload from public.outbox where aggregate_id = ${id} order by created_at`;
  const types = events.map((e) => e.type).sort();
  assert.deepEqual(types, ["email.verification_requested", "user.registered"]);
  const registered = events.find((e) => e.type === "user.registered")!.payload;
  assert.equal(registered.user_id, id);
  assert.equal(registered.email, email);
  assert.equal(registered.rol, "CLIENTE");
  // The link is e-mailed; our outbox copy drops it once QStash has the event.
  const token = await mailedToken(email, "verify-email");
  const [mail] = await emailsTo(email).then((m) => m.filter((e) => e.text.includes("verify-email")));
  // The page auth serves at the API's origin (the frontend has none).
  assert.ok(
    mail.text.includes(`${testConfig().PUBLIC_API_URL.replace(/\/+$/, "")}/verify-email?token=${token}`),
  );
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const published = await waitFor(async () => {
    const [row] = await testSql()`select status, payload from public.outbox
      where aggregate_id = ${id} and type = 'email.verification_requested'`;
    return row?.status === "published" ? row : null;
  });
  assert.equal(published.payload.verification_url, undefined);
  assert.equal(published.payload.user_id, id);
});

it("POST /auth/register as PROFESIONAL creates the profile at once with the contract's defaults and the trade", async () => {
  const [oficio] = await testSql()`select id from public.oficios where nombre = 'Plomería'`;
  const { id } = await registerUser(await client(), { rol: "PROFESIONAL", oficio_id: oficio.id });
  const [profile] = await testSql()`select * from public.profesionales where usuario_id = ${id}`;
  assert.ok(profile, "profile exists right after registering");
  assert.equal(profile.radio_cobertura_km, 10);
  assert.equal(profile.acepta_instant, false);
  assert.equal(profile.tarifa_por_hora, null);
  assert.equal(profile.nivel, "BRONCE");
  assert.equal(profile.estado_verificacion, "PENDIENTE");
  assert.equal(Number(profile.rating_promedio), 0);
  assert.equal(profile.total_resenas, 0);
  assert.equal(profile.puntos_experiencia, 0);
  assert.equal(Number(profile.tasa_comision_actual), 0.2);
  const trades =
    await testSql()`select oficio_id from public.profesional_oficios where profesional_id = ${profile.id}`;
  assert.deepEqual(trades.map((t) => t.oficio_id), [oficio.id]);
  const [event] =
    await testSql()`select payload from public.outbox where aggregate_id = ${id} and type = 'user.registered'`;
  assert.equal(event.payload.profesional_id, profile.id);
});

it('POST /auth/register as PROFESIONAL ignores an oficio_id that is not a real trade id (the frontend\'s "1")', async () => {
  const { id } = await registerUser(await client(), { rol: "PROFESIONAL", oficio_id: "1" });
  const [profile] = await testSql()`select id from public.profesionales where usuario_id = ${id}`;
  assert.ok(profile);
  const trades =
    await testSql()`select 1 from public.profesional_oficios where profesional_id = ${profile.id}`;
  assert.equal(trades.length, 0);
  const { id: other } = await registerUser(await client(), {
    rol: "PROFESIONAL",
    oficio_id: crypto.randomUUID(),
  });
  assert.ok((await testSql()`select 1 from public.profesionales where usuario_id = ${other}`).length);
});

it("POST /auth/register refuses ADMIN with 422 and creates nothing", async () => {
  const email = uniqueEmail("admin-wannabe");
  const res = await (await client()).json("POST", "/auth/register", {
    body: { ...base, email, rol: "ADMIN" },
  });
  assert.equal(res.status, 422);
  assert.equal(typeof res.body.detail, "string");
  assert.match(res.body.detail, /administrador/);
  assert.equal((await testSql()`select 1 from public.usuarios where email = ${email}`).length, 0);
});

it("POST /auth/register answers 400 for an e-mail already registered, whatever its case", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  const res = await http.json("POST", "/auth/register", { body: { ...base, email: email.toUpperCase() } });
  assert.equal(res.status, 400);
  assert.equal(res.body.detail, "El email ya está registrado");
  assert.equal(
    (await testSql()`select count(*)::int as n from public.usuarios where email = ${email}`)[0].n,
    1,
  );
});

it("POST /auth/register with malformed JSON or missing fields answers 422 with a string detail", async () => {
  const http = await client();
  const malformed = await http.json("POST", "/auth/register", { body: '{"email": "x@example.com",' });
  assert.equal(malformed.status, 422);
  assert.equal(typeof malformed.body.detail, "string");
  const missing = await http.json("POST", "/auth/register", { body: { email: uniqueEmail() } });
  assert.equal(missing.status, 422);
  assert.equal(typeof missing.body.detail, "string");
  assert.ok(Array.isArray(missing.body.errors));
  const fields = missing.body.errors.map((e: { loc: string[] }) => e.loc.at(-1));
  for (const f of ["password", "nombre", "apellido"]) assert.ok(fields.includes(f), f);
  const array = await http.json("POST", "/auth/register", { body: "[1,2]" });
  assert.equal(array.status, 422);
});

it("POST /auth/register refuses short, common and badly formed values with 422 and creates nothing", async () => {
  const http = await client();
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ password: "Abc123!" }, /al menos 8/],
    [{ password: "password123" }, /común/],
    [{ email: "not-an-email" }, /email/i],
    [{ nombre: "   " }, /nombre/],
    [{ apellido: "x".repeat(101) }, /apellido/],
    [{ rol: "JEFE" }, /rol/i],
    // Repeated or sequential characters (NIST SP 800-63B), none of them on the common list.
    [{ password: "aaaaaaaa" }, /repetición o secuencia/],
    [{ password: "abcdefgh" }, /repetición o secuencia/],
    [{ password: "zyxwvuts" }, /repetición o secuencia/],
    [{ password: "7890abcd" }, /repetición o secuencia/],
    // An oficio_id that is not a trade id is an error, not dropped in silence.
    [{ rol: "PROFESIONAL", oficio_id: "plomeria" }, /oficio_id/],
    [{ rol: "PROFESIONAL", oficio_id: `${crypto.randomUUID()}-x` }, /oficio_id/],
    [{ rol: "PROFESIONAL", oficio_id: { id: crypto.randomUUID() } }, /oficio_id/],
  ];
  for (const [override, detail] of cases) {
    const email = uniqueEmail();
    const res = await http.json("POST", "/auth/register", { body: { ...base, email, ...override } });
    assert.equal(res.status, 422, JSON.stringify(override));
    assert.match(res.body.detail, detail);
    assert.equal((await testSql()`select 1 from public.usuarios where email = ${email}`).length, 0);
  }
});

it("the /api/v1 prefix reaches the same registration", async () => {
  const res = await (await client()).json("POST", "/api/v1/auth/register", {
    body: { ...base, email: uniqueEmail() },
  });
  assert.equal(res.status, 201);
});

it("a professional who just registered can log in and read GET /professional/me and GET /users/me at once", async () => {
  const http = await client();
  const { id, email } = await registerUser(http, { rol: "PROFESIONAL", oficio_id: "1" });
  const login = await http.form("/auth/login", { username: email, password: PASSWORD });
  assert.equal(login.status, 200);
  const pro = await http.json("GET", "/professional/me", { token: login.body.access_token });
  assert.equal(pro.status, 200, JSON.stringify(pro.body));
  assert.equal(pro.body.usuario_id, id);
  assert.equal(pro.body.radio_cobertura_km, 10);
  assert.equal(pro.body.acepta_instant, false);
  assert.equal(pro.body.tarifa_por_hora, null);
  const me = await http.json("GET", "/users/me", { token: login.body.access_token });
  assert.equal(me.status, 200, JSON.stringify(me.body));
  assert.equal(me.body.id, id);
});
