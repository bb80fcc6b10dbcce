import assert from "node:assert/strict";
import { base64url, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import { createTokenVerifier } from "./auth.ts";
import { AppError } from "./errors.ts";
import { generateSigningKey } from "./jwt-keys.ts";

const ISSUER = "conectar-profesionales";
const AUDIENCE = "authenticated";
const { privateJwk, publicJwks } = await generateSigningKey("k1");
const TTL_SECONDS = 3600;
const verify = createTokenVerifier({
  jwks: publicJwks,
  issuer: ISSUER,
  audience: AUDIENCE,
  maxLifetimeSeconds: TTL_SECONDS,
});
const userId = crypto.randomUUID();
const sid = crypto.randomUUID();
const claims = { role: "authenticated", rol: "CLIENTE", email: "a@example.com", sid };

async function sign(
  jwk: JWK,
  options: {
    issuer?: string;
    audience?: string;
    expires?: string | number;
    issuedAt?: number;
    payload?: Record<string, unknown>;
  } = {},
) {
  return await new SignJWT({ ...claims, ...options.payload })
    .setProtectedHeader({ alg: "ES256", kid: jwk.kid })
    .setSubject(userId)
    .setIssuedAt(options.issuedAt)
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setExpirationTime(options.expires ?? "5m")
    .sign(await importJWK(jwk, "ES256"));
}

async function assertRejected(token: string) {
  await assert.rejects(verify(token), (error) => error instanceof AppError && error.status === 401);
}

Deno.test("a well-formed token yields the user", async () => {
  const user = await verify(await sign(privateJwk));
  assert.equal(user.id, userId);
  assert.equal(user.rol, "CLIENTE");
  assert.equal(user.sessionId, sid);
  assert.ok(user.issuedAt > 0);
});

Deno.test("alg none is refused", async () => {
  const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
  const now = Math.floor(Date.now() / 1000);
  const payload = base64url.encode(JSON.stringify({
    ...claims,
    sub: userId,
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 300,
  }));
  await assertRejected(`${header}.${payload}.`);
});

Deno.test("a token signed with another key is refused", async () => {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  await assertRejected(await sign({ ...(await exportJWK(privateKey)), kid: "k1" }));
});

Deno.test("HS256 signed with the public key as the secret is refused", async () => {
  const secret = new TextEncoder().encode(JSON.stringify(publicJwks.keys[0]));
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "HS256", kid: "k1" })
    .setSubject(userId).setIssuedAt().setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime("5m")
    .sign(secret);
  await assertRejected(token);
});

Deno.test("expired, wrong-audience and wrong-issuer tokens are refused", async () => {
  await assertRejected(await sign(privateJwk, { expires: Math.floor(Date.now() / 1000) - 10 }));
  await assertRejected(await sign(privateJwk, { audience: "anon" }));
  await assertRejected(await sign(privateJwk, { issuer: "someone-else" }));
});

Deno.test("a tampered payload is refused", async () => {
  const [header, , signature] = (await sign(privateJwk)).split(".");
  const forged = base64url.encode(
    JSON.stringify({ ...claims, rol: "ADMIN", sub: userId, iss: ISSUER, aud: AUDIENCE }),
  );
  await assertRejected(`${header}.${forged}.${signature}`);
});

Deno.test("tokens without the expected claims are refused", async () => {
  await assertRejected(await sign(privateJwk, { payload: { rol: "SUPERUSER" } }));
  await assertRejected(await sign(privateJwk, { payload: { role: "service_role" } }));
  await assertRejected("not-a-jwt");
});

Deno.test("a token without a session id is refused (auth always mints one)", async () => {
  await assertRejected(await sign(privateJwk, { payload: { sid: undefined } }));
  await assertRejected(await sign(privateJwk, { payload: { sid: "" } }));
  await assertRejected(await sign(privateJwk, { payload: { sid: "not-a-session-id" } }));
});

Deno.test("a token living longer than the configured lifetime is refused; within it plus skew it passes", async () => {
  const now = Math.floor(Date.now() / 1000);
  await assertRejected(await sign(privateJwk, { expires: now + 24 * 3600 }));
  await assertRejected(await sign(privateJwk, { expires: now + TTL_SECONDS + 120 }));
  const withoutExp = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "ES256", kid: privateJwk.kid })
    .setSubject(userId).setIssuedAt().setIssuer(ISSUER).setAudience(AUDIENCE)
    .sign(await importJWK(privateJwk, "ES256"));
  await assertRejected(withoutExp);
  // Issued in the future, so that exp - iat looks right while it lives far beyond now + TTL.
  await assertRejected(
    await sign(privateJwk, { issuedAt: now + 7 * 24 * 3600, expires: now + 7 * 24 * 3600 + 60 }),
  );
  assert.equal((await verify(await sign(privateJwk, { expires: now + TTL_SECONDS }))).id, userId);
  assert.equal(
    (await verify(await sign(privateJwk, { issuedAt: now + 10, expires: now + 10 + TTL_SECONDS }))).id,
    userId,
  );
});

Deno.test("a verified token is remembered only until it expires, and only as the exact string", async () => {
  const token = await sign(privateJwk, { expires: Math.floor(Date.now() / 1000) + 1 });
  assert.equal((await verify(token)).id, userId);
  // The remembered answer is a copy: a caller changing it changes nothing for the next request.
  (await verify(token)).rol = "ADMIN";
  assert.equal((await verify(token)).rol, "CLIENTE");
  const [header, payload, signature] = token.split(".");
  await assertRejected(`${header}.${payload}.${signature.slice(0, -2)}AA`);
  await new Promise((r) => setTimeout(r, 1100 + 1000 - (Date.now() % 1000)));
  await assertRejected(token);
});
