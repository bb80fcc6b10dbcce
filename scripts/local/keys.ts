import { generateSigningKey } from "../../shared/jwt-keys.ts";

/**
 * The local signing key pair, generated on first run and kept under `.local/` (git-ignored), so
 * tokens survive restarts of the dev stack. Production keys come from secrets instead.
 */
export async function localSigningKeys(
  dir: string,
): Promise<{ JWT_PRIVATE_JWK: string; JWT_PUBLIC_JWKS: string }> {
  const file = `${dir}/jwt-signing-key.json`;
  try {
    return JSON.parse(await Deno.readTextFile(file));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const { privateJwk, publicJwks } = await generateSigningKey(
    `local-${new Date().toISOString().slice(0, 10)}`,
  );
  const keys = { JWT_PRIVATE_JWK: JSON.stringify(privateJwk), JWT_PUBLIC_JWKS: JSON.stringify(publicJwks) };
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}
