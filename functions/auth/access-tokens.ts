import type { JWK } from "jose";
import type { Rol } from "../../shared/auth.ts";
import { ConfigError } from "../../shared/config.ts";
import { type JsonWebKeySet, JWT_ALGORITHM } from "../../shared/jwt-keys.ts";

/**
 * Mints the access tokens every function verifies offline (shared/auth.ts): ES256 with the
 * configured private key, `kid` in the header so keys can rotate through the JWKS.
 */
export type AccessTokenIssuer = {
  readonly ttlSeconds: number;
  mint(user: { id: string; rol: Rol; email: string }, sessionId: string): Promise<string>;
};

export function createAccessTokenIssuer(options: {
  privateJwk: Record<string, unknown> | undefined;
  publicJwks: JsonWebKeySet;
  issuer: string;
  audience: string;
  ttlMinutes: number;
}): AccessTokenIssuer {
  const jwk = options.privateJwk as JWK | undefined;
  if (!jwk?.d || !jwk.kid) {
    throw new ConfigError(
      ["JWT_PRIVATE_JWK"],
      "JWT_PRIVATE_JWK: the auth function needs a private JWK with a kid",
    );
  }
  if (!options.publicJwks.keys?.some((k) => k.kid === jwk.kid)) {
    // Tokens signed with a key nobody can look up would be refused everywhere.
    throw new ConfigError(["JWT_PUBLIC_JWKS"], `JWT_PUBLIC_JWKS: no public key with kid "${jwk.kid}"`);
  }
  // jose loads with the first token minted, not at boot.
  let key: ReturnType<typeof import("jose").importJWK> | null = null;
  const ttlSeconds = options.ttlMinutes * 60;
  return {
    ttlSeconds,
    async mint(user, sessionId) {
      const { importJWK, SignJWT } = await import("jose");
      key ??= importJWK(jwk, JWT_ALGORITHM);
      // Millisecond precision (RFC 7519 allows fractional NumericDates): a token minted right
      // after a ban or "log out everywhere" in the same second must differ from one minted before.
      const now = Date.now() / 1000;
      return new SignJWT({ role: "authenticated", rol: user.rol, email: user.email, sid: sessionId })
        .setProtectedHeader({ alg: JWT_ALGORITHM, kid: jwk.kid, typ: "JWT" })
        .setSubject(user.id)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(await key);
    },
  };
}

/** The public half only, whatever the configured JWKS holds (a private `d` must never leak). */
export function publicKeySet(jwks: JsonWebKeySet): JsonWebKeySet {
  const PUBLIC_MEMBERS = ["kty", "crv", "x", "y", "n", "e", "kid", "alg", "use"] as const;
  return {
    keys: (jwks.keys ?? []).map((key) =>
      Object.fromEntries(PUBLIC_MEMBERS.filter((m) => key[m] !== undefined).map((m) => [m, key[m]])) as JWK
    ),
  };
}
