import assert from "node:assert/strict";
import { exportSPKI, importJWK, type JWK, SignJWT } from "jose";
import { generateSigningKey, type JsonWebKeySet } from "../../shared/jwt-keys.ts";
import { it, testConfig, testEnv } from "../support/env.ts";
import { signTestToken } from "../support/tokens.ts";
import { client, expectRefused, loginUser, registerUser } from "./support.ts";

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

it("forged, foreign, expired and tampered access tokens are refused with 401", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const { access_token } = await loginUser(http, email);
  const env = testEnv();
  const realKey = JSON.parse(env.JWT_PRIVATE_JWK) as JWK;
  const publicJwk = (JSON.parse(env.JWT_PUBLIC_JWKS) as JsonWebKeySet).keys[0];
  // A session id, as every real token has: each forgery below is refused for its own flaw only.
  const claims = { sub: id, rol: "ADMIN", email, role: "authenticated", sid: crypto.randomUUID() };
  const now = Math.floor(Date.now() / 1000);
  const standard = {
    ...claims,
    iss: "conectar-profesionales",
    aud: "authenticated",
    iat: now,
    exp: now + 600,
  };

  const attacker = await generateSigningKey(realKey.kid!); // same kid, other key
  const publicPem = await exportSPKI(await importJWK(publicJwk, "ES256", { extractable: true }) as CryptoKey);
  const hs256 = (secret: string) =>
    new SignJWT(standard).setProtectedHeader({ alg: "HS256", kid: realKey.kid }).sign(
      new TextEncoder().encode(secret),
    );
  const [header, payload, signature] = access_token.split(".");
  const tampered = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));

  const forged: Record<string, string> = {
    "alg none": `${b64url({ alg: "none", typ: "JWT" })}.${b64url(standard)}.`,
    "wrong key": await signTestToken(claims, { key: attacker.privateJwk }),
    "HS256 with the public JWK": await hs256(JSON.stringify(publicJwk)),
    "HS256 with the public PEM": await hs256(publicPem),
    "expired": await signTestToken(claims, { issuedAt: now - 7200, expiresIn: "-1h" }),
    "wrong audience": await signTestToken(claims, { audience: "somebody-else" }),
    "wrong issuer": await signTestToken(claims, { issuer: "https://evil.example" }),
    "tampered payload": `${header}.${b64url({ ...tampered, rol: "ADMIN" })}.${signature}`,
    "not a JWT": "invalid_token_12345",
    "without a session id": await signTestToken({ ...claims, sid: undefined }),
    "living a week": await signTestToken(claims, { expiresIn: "7d" }),
    "living longer than JWT_ACCESS_TTL_MINUTES": await signTestToken(claims, {
      expiresIn: `${testConfig().JWT_ACCESS_TTL_MINUTES * 60 + 120}s`,
    }),
  };
  for (const [what, token] of Object.entries(forged)) await expectRefused(http, token, what);
  const none = await http.json("GET", "/auth/me");
  assert.equal(none.status, 401);
  assert.equal(none.body.detail, "Not authenticated");
  const basic = await http.json("GET", "/auth/me", { headers: { authorization: "Basic YTpi" } });
  assert.equal(basic.status, 401);
  assert.equal(
    (await http.json("GET", "/auth/me", { token: access_token })).status,
    200,
    "the real token works",
  );
  const withinLifetime = await signTestToken({ ...claims, rol: "CLIENTE" }, {
    expiresIn: `${testConfig().JWT_ACCESS_TTL_MINUTES * 60}s`,
  });
  assert.equal(
    (await http.json("GET", "/auth/me", { token: withinLifetime })).status,
    200,
    "a full-lifetime token works",
  );
});

it("every auth route that needs a session answers 401 without a token or with a bad one", async () => {
  const http = await client();
  const routes: [string, string][] = [
    ["GET", "/auth/me"],
    ["POST", "/auth/logout"],
    ["POST", "/auth/logout-all"],
    ["POST", "/auth/change-password"],
    ["POST", "/users/me/change-password"],
    ["POST", "/auth/verify-email/request"],
  ];
  for (const [method, path] of routes) {
    for (const token of [undefined, "invalid_token_12345"]) {
      // A body that would fail validation: auth is checked first.
      const res = await http.json(method, path, {
        token,
        body: method === "POST" ? { nonsense: true } : undefined,
      });
      assert.equal(res.status, 401, `${method} ${path} token=${token}`);
      assert.equal(res.headers.get("www-authenticate"), "Bearer");
    }
  }
});

it("GET /auth/me answers the caller's own account with email_verificado and the session id", async () => {
  const http = await client();
  const { id, email } = await registerUser(http, { rol: "PROFESIONAL" });
  const { access_token } = await loginUser(http, email);
  const me = await http.json("GET", "/auth/me", { token: access_token });
  assert.equal(me.status, 200);
  assert.equal(me.body.id, id);
  assert.equal(me.body.rol, "PROFESIONAL");
  assert.equal(me.body.es_profesional, true);
  assert.equal(me.body.email_verificado, false);
  assert.match(me.body.session_id, /^[0-9a-f-]{36}$/);
  const ghost = await signTestToken({ sub: crypto.randomUUID() });
  assert.equal((await http.json("GET", "/auth/me", { token: ghost })).status, 404);
});
