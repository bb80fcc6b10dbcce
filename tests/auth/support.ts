import assert from "node:assert/strict";
import { api } from "../support/gateway.ts";
import { emailsTo, waitFor } from "../events/helpers.ts";

/**
 * Auth's integration tests talk to the whole API through the gateway. Every answer is checked
 * for credential material on the way back, so all routes exercised here prove they never leak it.
 * Tests stay independent: unique e-mails, and a unique client IP (x-forwarded-for) per test.
 */
// deno-lint-ignore no-explicit-any
export type Reply = { status: number; headers: Headers; body: any };
export type Client = {
  json(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<Reply>;
  form(path: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<Reply>;
  raw(path: string, init: RequestInit): Promise<Reply>;
};

const LEAKS = [/password_hash/i, /\$scrypt\$/, /\$2[aby]\$/];

/** The token is refused (401 + WWW-Authenticate) on auth's protected routes. */
export async function expectRefused(http: Client, token: string, what: string) {
  for (const [method, path] of [["GET", "/auth/me"], ["POST", "/auth/logout-all"]]) {
    const res = await http.json(method, path, { token });
    assert.equal(res.status, 401, `${what}: ${method} ${path} → ${res.status}`);
    assert.equal(res.headers.get("www-authenticate"), "Bearer");
    assert.equal(typeof res.body.detail, "string");
  }
}

export function assertNoCredentials(text: string, where: string) {
  for (const leak of LEAKS) assert.doesNotMatch(text, leak, `${where} leaked credential material`);
}

/** A client for the shared test gateway, or for one built with config overrides (small limits). */
export async function client(ip = uniqueIp(), overrides?: Record<string, string>): Promise<Client> {
  const target = await api(overrides);
  const withIp = (headers: Record<string, string> = {}) => ({ "x-forwarded-for": ip, ...headers });
  const read = async (response: Response, where: string): Promise<Reply> => {
    const text = await response.text();
    assertNoCredentials(text, where);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch { /* not JSON */ }
    return { status: response.status, headers: response.headers, body };
  };
  return {
    async json(method, path, options = {}) {
      const headers: Record<string, string> = withIp(options.headers);
      if (options.body !== undefined) headers["content-type"] ??= "application/json";
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const body = options.body === undefined
        ? undefined
        : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body);
      return await read(await target.fetch(path, { method, headers, body }), `${method} ${path}`);
    },
    async form(path, fields, headers) {
      const response = await target.fetch(path, {
        method: "POST",
        headers: withIp({ "content-type": "application/x-www-form-urlencoded", ...headers }),
        body: new URLSearchParams(fields).toString(),
      });
      return await read(response, `POST ${path} (form)`);
    },
    async raw(path, init) {
      const headers = new Headers(init.headers);
      if (!headers.has("x-forwarded-for")) headers.set("x-forwarded-for", ip);
      return await read(await target.fetch(path, { ...init, headers }), `${init.method} ${path}`);
    },
  };
}

export function uniqueEmail(prefix = "auth"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 13)}@example.com`;
}

/** A documentation-range IPv6 address in its own /64, so no two tests share a per-IP window. */
export function uniqueIp(): string {
  const hex = () => Math.floor(Math.random() * 0x10000).toString(16);
  return `2001:db8:${hex()}:${hex()}::1`;
}

export const PASSWORD = "Password123!";

export async function registerUser(
  http: Client,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; email: string; password: string; body: Record<string, unknown> }> {
  const email = (fields.email as string) ?? uniqueEmail();
  const password = (fields.password as string) ?? PASSWORD;
  const res = await http.json("POST", "/auth/register", {
    body: { nombre: "Ana", apellido: "Paz", rol: "CLIENTE", ...fields, email, password },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id, email: res.body.email, password, body: res.body };
}

export async function loginUser(http: Client, email: string, password = PASSWORD) {
  const res = await http.form("/auth/login", { username: email, password });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { access_token: string; refresh_token: string; token_type: string; expires_in: number };
}

/**
 * The one-time token of the `nth` link to `page` e-mailed to `email` (1 = the first to arrive),
 * once it has arrived: the e-mail is where a person finds it (the outbox drops it once published).
 * Ask for the second only after the first arrived if their order matters (deliveries run in parallel).
 */
export async function mailedToken(email: string, page: "reset-password" | "verify-email", nth = 1) {
  const link = new RegExp(`https?://\\S+/${page}\\?token=([A-Za-z0-9_-]+)`);
  const tokens = await waitFor(async () => {
    const found = (await emailsTo(email)).map((m) => link.exec(m.text)?.[1]).filter((t) => t !== undefined);
    return found.length >= nth ? found.reverse() : null;
  }, { what: `${page} e-mail ${nth} to ${email}` });
  return tokens[nth - 1]!;
}
