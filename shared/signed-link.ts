/**
 * Links a browser opens by navigation, without an Authorization header (the checkout URL an
 * accepted offer answers with): the URL carries its own short-lived proof. One function signs (the
 * jobs side, at accept time) and another verifies (payments, at checkout); nothing is stored.
 *
 * The signature is HMAC-SHA256 over the path, the claims (sorted) and the expiry, so a link
 * cannot be moved to another job, another person or a later time.
 *
 * @example
 * const url = await signLink(secret, {
 *   baseUrl: "http://localhost:8000",
 *   path: `/payments/checkout/${jobId}`,
 *   claims: { cliente: clientId },
 *   ttlSeconds: 3600,
 * });
 * const claims = await verifyLink(secret, new URL(url)); // { cliente: "…" } or null
 */
export type LinkClaims = Record<string, string>;

const SIGNATURE = "sig";
const EXPIRY = "exp";

export async function signLink(
  secret: string,
  options: { baseUrl: string; path: string; claims: LinkClaims; ttlSeconds: number; now?: Date },
): Promise<string> {
  const exp = Math.floor((options.now ?? new Date()).getTime() / 1000) + options.ttlSeconds;
  const url = new URL(options.baseUrl.replace(/\/+$/, "") + options.path);
  for (const [key, value] of Object.entries(options.claims).sort(([a], [b]) => a.localeCompare(b))) {
    url.searchParams.set(key, value);
  }
  url.searchParams.set(EXPIRY, String(exp));
  url.searchParams.set(SIGNATURE, await mac(secret, manifest(options.path, options.claims, exp)));
  return url.toString();
}

/**
 * The claims of a link signed with `secret` for this path, or null when the signature does not
 * match, a claim was changed or added, or the link expired. `path` is the path the link was
 * signed for (the route's own path, independent of any prefix a proxy adds).
 */
export async function verifyLink(
  secret: string,
  input: { path: string; query: URLSearchParams; now?: Date },
): Promise<LinkClaims | null> {
  const exp = Number(input.query.get(EXPIRY));
  const signature = input.query.get(SIGNATURE) ?? "";
  if (!Number.isInteger(exp) || !/^[0-9a-f]{64}$/.test(signature)) return null;
  if (exp < Math.floor((input.now ?? new Date()).getTime() / 1000)) return null;
  const claims: LinkClaims = {};
  for (const [key, value] of input.query) {
    if (key !== EXPIRY && key !== SIGNATURE) claims[key] = value;
  }
  const expected = await mac(secret, manifest(input.path, claims, exp));
  return constantTimeEqual(expected, signature) ? claims : null;
}

function manifest(path: string, claims: LinkClaims, exp: number): string {
  const parts = Object.entries(claims).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) =>
    `${encodeURIComponent(k)}=${encodeURIComponent(v)}`
  );
  return `${path}\n${parts.join("&")}\n${exp}`;
}

async function mac(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const bytes = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
