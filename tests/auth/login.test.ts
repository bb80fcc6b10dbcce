import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import { client, loginUser, PASSWORD, registerUser, uniqueEmail } from "./support.ts";

it("POST /auth/login with the OAuth2 form answers an ES256 access token, a refresh token and expires_in", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const res = await http.form("/auth/login", { username: email, password: PASSWORD, grant_type: "password" });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body).sort(), [
    "access_token",
    "expires_in",
    "refresh_token",
    "token_type",
  ]);
  assert.equal(res.body.token_type, "bearer");
  assert.equal(res.body.expires_in, 3600);
  assert.match(res.body.refresh_token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(res.headers.get("cache-control"), "no-store");
  const header = decodeProtectedHeader(res.body.access_token);
  assert.equal(header.alg, "ES256");
  assert.equal(header.kid, JSON.parse(testEnv().JWT_PRIVATE_JWK).kid);
  const claims = decodeJwt(res.body.access_token);
  assert.equal(claims.sub, id);
  assert.equal(claims.role, "authenticated");
  assert.equal(claims.rol, "CLIENTE");
  assert.equal(claims.email, email);
  assert.equal(claims.iss, "conectar-profesionales");
  assert.equal(claims.aud, "authenticated");
  assert.equal(claims.exp! - claims.iat!, 3600);
  const [session] = await testSql()`select user_id, revoked_at from public.auth_sessions where id = ${claims
    .sid as string}`;
  assert.equal(session.user_id, id);
  assert.equal(session.revoked_at, null);
});

it("POST /auth/login also takes JSON with email or username, and the e-mail in any case", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  const byEmail = await http.json("POST", "/auth/login", {
    body: { email: email.toUpperCase(), password: PASSWORD },
  });
  assert.equal(byEmail.status, 200, JSON.stringify(byEmail.body));
  const byUsername = await http.json("POST", "/auth/login", {
    body: { username: ` ${email} `, password: PASSWORD },
  });
  assert.equal(byUsername.status, 200);
  const me = await http.json("GET", "/auth/me", { token: byEmail.body.access_token });
  assert.equal(me.status, 200);
  assert.equal(me.body.email, email);
  assert.equal(me.body.email_verificado, false);
});

it("POST /auth/login answers the same 401 for a wrong password and an unknown e-mail", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  const wrong = await http.form("/auth/login", { username: email, password: "Wrong-password-1" });
  const unknown = await http.form("/auth/login", {
    username: uniqueEmail("nobody"),
    password: "Wrong-password-1",
  });
  for (const res of [wrong, unknown]) {
    assert.equal(res.status, 401);
    assert.equal(res.body.detail, "Email o contraseña incorrectos");
    assert.equal(res.headers.get("www-authenticate"), "Bearer");
  }
  assert.deepEqual(Object.keys(wrong.body).sort(), Object.keys(unknown.body).sort());
});

it("POST /auth/login refuses a banned account with the original's message (and no session is opened)", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  await testSql()`update public.usuarios set is_active = false where id = ${id}`;
  const res = await http.form("/auth/login", { username: email, password: PASSWORD });
  assert.equal(res.status, 401);
  assert.equal(
    res.body.detail,
    "Tu cuenta ha sido desactivada. Contacta al administrador para más información.",
  );
  assert.equal(res.headers.get("www-authenticate"), "Bearer");
  assert.equal((await testSql()`select 1 from public.auth_sessions where user_id = ${id}`).length, 0);
});

it("a legacy bcrypt ($2b$) password from the original database logs in and is re-hashed with scrypt", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const legacy = bcrypt.hashSync("Legacy-pass-2019", 10);
  await testSql()`update public.auth_credentials set password_hash = ${legacy} where user_id = ${id}`;
  const wrong = await http.form("/auth/login", { username: email, password: PASSWORD });
  assert.equal(wrong.status, 401);
  const [still] = await testSql()`select password_hash from public.auth_credentials where user_id = ${id}`;
  assert.equal(still.password_hash, legacy, "a failed login changes nothing");
  await loginUser(http, email, "Legacy-pass-2019");
  const [row] = await testSql()`select password_hash from public.auth_credentials where user_id = ${id}`;
  assert.match(row.password_hash, /^\$scrypt\$ln=14,r=8,p=5\$/);
  await loginUser(http, email, "Legacy-pass-2019");
});

it("POST /auth/login with missing fields, a bad grant_type or malformed JSON answers 422; another content type 415", async () => {
  const http = await client();
  const cases = [
    await http.form("/auth/login", { username: "someone@example.com" }),
    await http.form("/auth/login", { password: "x" }),
    await http.form("/auth/login", {
      username: "a@example.com",
      password: "x",
      grant_type: "client_credentials",
    }),
    await http.json("POST", "/auth/login", { body: '{"email": ' }),
    await http.json("POST", "/auth/login", {}),
  ];
  for (const res of cases) {
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(typeof res.body.detail, "string");
  }
  const text = await http.raw("/auth/login", {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: '{"email":"a@example.com","password":"x"}',
  });
  assert.equal(text.status, 415, JSON.stringify(text.body));
  assert.equal(typeof text.body.detail, "string");
});

it("GET /auth/.well-known/jwks.json publishes the public key that verifies issued tokens, and nothing private", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  const { access_token } = await loginUser(http, email);
  const res = await http.json("GET", "/auth/.well-known/jwks.json");
  assert.equal(res.status, 200);
  for (const key of res.body.keys) assert.equal(key.d, undefined);
  const { payload } = await jwtVerify(access_token, createLocalJWKSet(res.body), {
    algorithms: ["ES256"],
    issuer: "conectar-profesionales",
    audience: "authenticated",
  });
  assert.equal(payload.email, email);
});
