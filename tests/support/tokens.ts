import { importJWK, type JWK, SignJWT } from "jose";
import { testEnv } from "./env.ts";

/**
 * Access tokens signed with the run's key, as the auth function mints them (a session id of their
 * own, lifetime within JWT_ACCESS_TTL_MINUTES), so that a forged token is refused only for what a
 * test changes: `claims` (`sid: undefined` drops it) and `options` forge the bad ones.
 */
export async function signTestToken(
  claims: { sub: string; rol?: string; email?: string; sid?: string } & Record<string, unknown>,
  options: { expiresIn?: string; issuer?: string; audience?: string; key?: JWK; issuedAt?: number } = {},
): Promise<string> {
  const env = testEnv();
  const jwk = options.key ?? JSON.parse(env.JWT_PRIVATE_JWK) as JWK;
  const key = await importJWK(jwk, "ES256");
  const payload = {
    role: "authenticated",
    rol: "CLIENTE",
    email: "test@example.com",
    sid: crypto.randomUUID(),
    ...claims,
  };
  return await new SignJWT(payload)
    .setProtectedHeader({ alg: "ES256", kid: jwk.kid, typ: "JWT" })
    .setIssuedAt(options.issuedAt ?? Date.now() / 1000)
    .setIssuer(options.issuer ?? env.JWT_ISSUER ?? "conectar-profesionales")
    .setAudience(options.audience ?? env.JWT_AUDIENCE ?? "authenticated")
    .setExpirationTime(options.expiresIn ?? "10m")
    .sign(key);
}
