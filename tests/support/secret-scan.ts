import { Buffer } from "node:buffer";
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { cbuProblem } from "../../functions/payments/cbu.ts";
import { normalizePublicPath } from "../../functions/gateway/route-table.ts";

/**
 * Detectors of secrets that must never reach a response or a log line (issue 14, "Secrets never
 * leak"). Synchronous on purpose: the log sink is synchronous, and a hit must be recorded before
 * the line is gone.
 *
 * @example
 * const scanner = createSecretScanner(Deno.env.toObject());
 * scanner.scan("token eyJ…"); // [{ kind: "access-token", excerpt: "eyJhbG…" }]
 */
export type SecretKind =
  | "password-hash"
  | "access-token"
  | "opaque-token"
  | "service-secret"
  | "cbu";
export type Finding = { kind: SecretKind; excerpt: string };
export type SecretScanner = { scan(text: string): Finding[] };

// The formats of functions/auth/passwords.ts (PHC scrypt) and legacy bcrypt, unanchored.
const SCRYPT = /\$scrypt\$ln=\d{1,2},r=\d{1,2},p=\d{1,2}\$[A-Za-z0-9+/]{22,}\$[A-Za-z0-9+/]{43,}/g;
const BCRYPT = /\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}/g;
const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;
// functions/auth/opaque-tokens.ts: 32 random bytes as base64url, standing alone (not part of a JWT).
const OPAQUE = /(?<![A-Za-z0-9_.-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_.-])/g;
const CBU = /(?<!\d)\d{22}(?!\d)/g;

/** Environment variables whose whole value is a secret. */
const LITERAL_SECRETS = [
  "SUPABASE_SERVICE_ROLE_KEY",
  "QSTASH_TOKEN",
  "QSTASH_CURRENT_SIGNING_KEY",
  "QSTASH_NEXT_SIGNING_KEY",
  "MERCADOPAGO_ACCESS_TOKEN",
  "MERCADOPAGO_WEBHOOK_SECRET",
  "CHECKOUT_LINK_SECRET",
  "RELAY_SWEEP_SECRET",
  "CHAT_WEBHOOK_API_KEY",
  "EMAIL_API_KEY",
];

const excerpt = (s: string) => s.length > 16 ? `${s.slice(0, 10)}…(${s.length} chars)` : s;

/** The literal needles of `env`, by name: whole values, the private JWK's `d`, service accounts' key bodies. */
export function secretNeedles(env: Record<string, string | undefined>): { name: string; parts: string[] }[] {
  const needles: { name: string; parts: string[] }[] = [];
  for (const name of LITERAL_SECRETS) {
    const value = env[name];
    // Shorter values would match by chance; the stack's secrets are long random strings.
    if (value && value.length >= 8) needles.push({ name, parts: [value] });
  }
  const json = (name: string) => {
    try {
      return env[name] ? JSON.parse(env[name]!) : undefined;
    } catch {
      return undefined;
    }
  };
  const d = json("JWT_PRIVATE_JWK")?.d;
  if (typeof d === "string" && d.length >= 8) needles.push({ name: "JWT_PRIVATE_JWK.d", parts: [d] });
  for (const name of ["FIREBASE_SERVICE_ACCOUNT", "FCM_SERVICE_ACCOUNT"]) {
    const pem = json(name)?.private_key;
    if (typeof pem !== "string") continue;
    const body = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\\n|\s/g, "");
    // A run of the key's base64 is unmistakable, however the PEM's line breaks were escaped.
    if (body.length >= 48) {
      needles.push({ name: `${name}.private_key`, parts: [body.slice(0, 48), body.slice(-48)] });
    }
  }
  return needles;
}

function publicKeys(env: Record<string, string | undefined>): KeyObject[] {
  try {
    const jwks = JSON.parse(env.JWT_PUBLIC_JWKS ?? "{}") as { keys?: JsonWebKey[] };
    return (jwks.keys ?? []).map((key) => createPublicKey({ key: key as never, format: "jwk" }));
  } catch {
    return [];
  }
}

/** A token the run's keys signed (ES256): a real access token, not any base64 with dots. */
function signedByRun(jwt: string, keys: KeyObject[]): boolean {
  const [header, payload, signature] = jwt.split(".");
  const data = new TextEncoder().encode(`${header}.${payload}`);
  const sig = Buffer.from(signature, "base64url");
  return keys.some((key) => {
    try {
      return verify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, sig);
    } catch {
      return false;
    }
  });
}

export function createSecretScanner(env: Record<string, string | undefined>): SecretScanner {
  const needles = secretNeedles(env);
  const keys = publicKeys(env);
  // The public keys' coordinates are 43 base64url characters too, and public (GET …/jwks.json).
  const published = new Set(keys.flatMap((key) => {
    const { x, y } = key.export({ format: "jwk" });
    return [x, y].filter((v): v is string => typeof v === "string");
  }));
  return {
    scan(text) {
      const found: Finding[] = [];
      for (const re of [SCRYPT, BCRYPT]) {
        for (const m of text.matchAll(re)) found.push({ kind: "password-hash", excerpt: excerpt(m[0]) });
      }
      for (const m of text.matchAll(JWT)) {
        if (signedByRun(m[0], keys)) found.push({ kind: "access-token", excerpt: excerpt(m[0]) });
      }
      for (const m of text.matchAll(OPAQUE)) {
        // Random 256 bits has upper, lower and digits; identifiers and words of 43 letters do not.
        if (/[A-Z]/.test(m[0]) && /[a-z]/.test(m[0]) && /\d/.test(m[0]) && !published.has(m[0])) {
          found.push({ kind: "opaque-token", excerpt: excerpt(m[0]) });
        }
      }
      for (const { name, parts } of needles) {
        // Named, not quoted: the hit report must not spread the secret either.
        if (parts.some((part) => text.includes(part))) found.push({ kind: "service-secret", excerpt: name });
      }
      for (const m of text.matchAll(CBU)) {
        if (cbuProblem(m[0]) === null) found.push({ kind: "cbu", excerpt: excerpt(m[0]) });
      }
      return found;
    },
  };
}

/**
 * The only places a secret may appear, each for its owner only: the token pair in the answer of
 * login/refresh, full CBUs in the admin's payout export, and the checkout redirect's signed link
 * (an HMAC, shaped like an opaque token, which is not a secret of ours).
 */
const ALLOWED: {
  method: string;
  path: RegExp;
  status: number;
  part: "body" | string;
  kinds: SecretKind[];
}[] = [
  {
    method: "POST",
    path: /^\/auth\/(login|refresh)$/,
    status: 200,
    part: "body",
    kinds: ["access-token", "opaque-token"],
  },
  {
    method: "GET",
    path: /^\/admin\/pagos\/retiros\/export\.csv$/,
    status: 200,
    part: "body",
    kinds: ["cbu"],
  },
  {
    method: "GET",
    path: /^\/payments\/checkout\/[^/]+$/,
    status: 302,
    part: "location",
    kinds: ["opaque-token"],
  },
];

export function allowedKinds(method: string, path: string, status: number, part: string): Set<SecretKind> {
  const bare = normalizePublicPath(path);
  const rule = ALLOWED.filter((r) =>
    r.method === method.toUpperCase() && r.path.test(bare) && r.status === status && r.part === part
  );
  return new Set(rule.flatMap((r) => r.kinds));
}

export type ScannedResponse = {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  body: string;
};
export type Hit = Finding & { where: string };

/** What a response leaks, after the allow-list: headers one by one, then the body. */
export function scanResponse(scanner: SecretScanner, r: ScannedResponse): Hit[] {
  const where = `${r.method} ${r.path} → ${r.status}`;
  const hits: Hit[] = [];
  const check = (part: string, text: string) => {
    const allowed = allowedKinds(r.method, r.path, r.status, part);
    for (const f of scanner.scan(text)) {
      if (!allowed.has(f.kind)) hits.push({ ...f, where: `${where} (${part})` });
    }
  };
  r.headers.forEach((value, name) => check(name.toLowerCase(), value));
  check("body", r.body);
  return hits;
}

/** What a log line leaks (no allow-list: no log line may carry a secret). */
export function scanLogLine(scanner: SecretScanner, line: string): Hit[] {
  const found = scanner.scan(line);
  if (!found.length) return [];
  // Named by its function and message only: the line itself carries the secret.
  let where = "log line (not JSON)";
  try {
    const { fn, msg } = JSON.parse(line);
    where = `log: fn=${fn} msg=${JSON.stringify(msg).slice(0, 80)}`;
  } catch { /* keep the generic name */ }
  return found.map((f) => ({ ...f, where }));
}
