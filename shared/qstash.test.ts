import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash, createHmac } from "node:crypto";
import { SignJWT, UnsecuredJWT } from "jose";
import { createSignatureVerifier } from "./qstash.ts";

/**
 * The receivers' check of `Upstash-Signature`, token by token: what QStash signs passes with
 * either key; anything forged, altered, replayable or in another algorithm does not.
 */
const keys = { current: "sig_current_unit", next: "sig_next_unit" };
const verify = createSignatureVerifier({
  QSTASH_URL: "https://qstash.example",
  QSTASH_TOKEN: "token",
  QSTASH_CURRENT_SIGNING_KEY: keys.current,
  QSTASH_NEXT_SIGNING_KEY: keys.next,
});
const url = "https://ref.supabase.co/functions/v1/notifications/events";
const body = JSON.stringify({ id: "e1", type: "user.registered" });
const hashOf = (text: string) => createHash("sha256").update(text).digest("base64url");
const now = () => Math.floor(Date.now() / 1000);

type Claims = { iss?: string; sub?: string; body?: string; iat?: number; nbf?: number; exp?: number };
function token(claims: Claims = {}, options: { key?: string; alg?: string } = {}) {
  const all = {
    iss: "Upstash",
    sub: url,
    body: hashOf(body),
    iat: now(),
    nbf: now(),
    exp: now() + 300,
    ...claims,
  };
  const defined = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
  return new SignJWT(defined)
    .setProtectedHeader({ alg: options.alg ?? "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(options.key ?? keys.current));
}
const accepted = async (signature: string | undefined, request: { url?: string; body?: string } = {}) =>
  await verify({ signature, body: request.body ?? body, url: request.url ?? url });

Deno.test("a signature QStash makes is accepted with the current key and, during rotation, the next", async () => {
  assert.equal(await accepted(await token()), true);
  assert.equal(await accepted(await token({}, { key: keys.next })), true);
  // QStash's body hash may carry base64 padding.
  assert.equal(await accepted(await token({ body: `${hashOf(body)}=` })), true);
});

Deno.test("a signature for another URL, body or issuer, or by another key, is refused", async () => {
  assert.equal(await accepted(await token(), { url: `${url}/other` }), false);
  assert.equal(await accepted(await token(), { body: "{}" }), false);
  assert.equal(await accepted(await token({ iss: "Mallory" })), false);
  assert.equal(await accepted(await token({}, { key: "sig_attacker" })), false);
  assert.equal(await accepted(undefined), false);
});

Deno.test("expired, not yet valid, without exp or valid for longer than QStash signs: refused", async () => {
  assert.equal(await accepted(await token({ exp: now() - 60 })), false);
  assert.equal(await accepted(await token({ nbf: now() + 60 })), false);
  assert.equal(await accepted(await token({ exp: undefined })), false);
  assert.equal(await accepted(await token({ exp: now() + 86_400 })), false);
  // A few seconds of clock skew either way are tolerated.
  assert.equal(await accepted(await token({ exp: now() - 2, nbf: now() + 2 })), true);
});

Deno.test("another algorithm, an unsigned token, a tampered one or garbage: refused", async () => {
  assert.equal(await accepted(await token({}, { alg: "HS512" })), false);
  // Even HMAC-SHA256-signed with the right key, a header naming another algorithm is refused.
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${b64({ alg: "HS384", typ: "JWT" })}.${
    b64({ iss: "Upstash", sub: url, body: hashOf(body), exp: now() + 300 })
  }`;
  const mislabelled = `${input}.${createHmac("sha256", keys.current).update(input).digest("base64url")}`;
  assert.equal(await accepted(mislabelled), false);
  const unsigned = new UnsecuredJWT({ iss: "Upstash", sub: url, body: hashOf(body), exp: now() + 300 })
    .encode();
  assert.equal(await accepted(unsigned), false);
  const [header, , signature] = (await token()).split(".");
  const forgedClaims = Buffer.from(
    JSON.stringify({ iss: "Upstash", sub: url, body: hashOf("{}"), exp: now() + 300 }),
  )
    .toString("base64url");
  assert.equal(await accepted(`${header}.${forgedClaims}.${signature}`), false);
  const valid = await token();
  assert.equal(await accepted(`${valid}=`), false, "an altered encoding is not the signed token");
  for (const garbage of ["", "not-a-jwt", "a.b", "a.b.c.d", `${valid}.x`, "e30.e30.e30"]) {
    assert.equal(await accepted(garbage), false, garbage);
  }
});
