import assert from "node:assert/strict";
import { decodeProtectedHeader } from "jose";
import { createTokenVerifier } from "../../shared/auth.ts";
import { ConfigError } from "../../shared/config.ts";
import { generateSigningKey } from "../../shared/jwt-keys.ts";
import { createAccessTokenIssuer, publicKeySet } from "./access-tokens.ts";

const { privateJwk, publicJwks } = await generateSigningKey("unit-1");
const settings = { issuer: "conectar-profesionales", audience: "authenticated", ttlMinutes: 60 };
const user = { id: crypto.randomUUID(), rol: "PROFESIONAL" as const, email: "pro@example.com" };

Deno.test("a minted access token carries kid and the contract's claims and verifies offline", async () => {
  const issuer = createAccessTokenIssuer({ privateJwk, publicJwks, ...settings });
  const sid = crypto.randomUUID();
  const token = await issuer.mint(user, sid);
  assert.deepEqual(decodeProtectedHeader(token), { alg: "ES256", kid: "unit-1", typ: "JWT" });
  const verified = await createTokenVerifier({ jwks: publicJwks, ...settings, maxLifetimeSeconds: 3600 })(
    token,
  );
  assert.equal(verified.id, user.id);
  assert.equal(verified.rol, "PROFESIONAL");
  assert.equal(verified.email, "pro@example.com");
  assert.equal(verified.sessionId, sid);
  const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
  assert.equal(payload.role, "authenticated");
  assert.equal(payload.exp - payload.iat, 3600);
  assert.equal(issuer.ttlSeconds, 3600);
});

Deno.test("the issuer refuses to start without a private key or with a kid the JWKS lacks", async () => {
  assert.throws(
    () => createAccessTokenIssuer({ privateJwk: undefined, publicJwks, ...settings }),
    (e) => e instanceof ConfigError && e.variables.includes("JWT_PRIVATE_JWK"),
  );
  const other = await generateSigningKey("unit-2");
  assert.throws(
    () => createAccessTokenIssuer({ privateJwk: other.privateJwk, publicJwks, ...settings }),
    (e) => e instanceof ConfigError && e.variables.includes("JWT_PUBLIC_JWKS"),
  );
});

Deno.test("the published key set never contains private key material", () => {
  const leaked = publicKeySet({ keys: [privateJwk] });
  assert.equal(leaked.keys[0].d, undefined);
  assert.equal(leaked.keys[0].kid, "unit-1");
  assert.equal(leaked.keys[0].x, privateJwk.x);
});
