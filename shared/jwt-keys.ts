import type { JWK } from "jose";

/** The one signature algorithm tokens use; verification pins it (no `none`, no HS256 confusion). */
export const JWT_ALGORITHM = "ES256";

export type JsonWebKeySet = { keys: JWK[] };

/**
 * A fresh ES256 key pair as JWKs. Local and test stacks generate one on first run; production keys
 * come from secrets (`JWT_PRIVATE_JWK`, `JWT_PUBLIC_JWKS`).
 *
 * @example
 * const { privateJwk, publicJwks } = await generateSigningKey("local-1");
 */
export async function generateSigningKey(
  kid: string,
): Promise<{ privateJwk: JWK; publicJwks: JsonWebKeySet }> {
  // Loaded here, not at module load: every function imports JWT_ALGORITHM, few ever generate keys.
  const { exportJWK, generateKeyPair } = await import("jose");
  const { privateKey, publicKey } = await generateKeyPair(JWT_ALGORITHM, { extractable: true });
  const common = { kid, alg: JWT_ALGORITHM, use: "sig" };
  const privateJwk = { ...(await exportJWK(privateKey)), ...common };
  const publicJwk = { ...(await exportJWK(publicKey)), ...common };
  return { privateJwk, publicJwks: { keys: [publicJwk] } };
}
