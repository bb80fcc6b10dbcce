import { createHash, randomBytes } from "node:crypto";

/**
 * Opaque secrets handed to clients (refresh tokens, reset and verification links): 256 random
 * bits, base64url. Only their SHA-256 is stored, so a database leak reveals no usable token;
 * a fast hash is enough because the input is random, not a password.
 */
export function newOpaqueToken(): { token: string; hash: Uint8Array } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(token, "utf8").digest());
}

/** Shape check before any lookup: 43 base64url characters. */
export function looksLikeOpaqueToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
