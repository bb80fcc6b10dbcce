// The local functions host as Supabase's twin: every function (the gateway included) under
// /functions/v1/<fn>/…, the edge's X-Forwarded-For behaviour, and supabase-js as a client.
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { SignJWT } from "jose";
import { type FunctionsHost, startFunctionsHost } from "../../scripts/local/functions-host.ts";
import { it, testEnv } from "../support/env.ts";
import { api } from "../support/gateway.ts";

// Low per-IP login limit; the stack's raised limits stay for dev. Unique e-mails per attempt keep
// every per-account limit out of the way, so only the per-IP one can answer 429.
const LIMIT = 3;
const LIMITS = { RATE_LIMIT_LOGIN_PER_IP: `${LIMIT}/10m` };

const stackHost = () => testEnv().FUNCTIONS_PUBLIC_URL;

/** A caller with an address of its own (any 127.x.y.z reaches loopback on Linux). */
function peer() {
  const octet = () => 1 + Math.floor(Math.random() * 250);
  const address = `127.${octet()}.${octet()}.${octet()}`;
  const client = Deno.createHttpClient({ localAddress: address });
  globalThis.addEventListener("unload", () => client.close());
  return {
    address,
    fetch: (url: string, init: RequestInit = {}) => fetch(url, { ...init, client } as RequestInit),
  };
}

type Caller = ReturnType<typeof peer>;

/** A failed login for an unknown account, optionally claiming to come from `spoofed`. */
async function failedLogin(caller: Caller, url: string, spoofed?: string): Promise<number> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (spoofed) headers["x-forwarded-for"] = spoofed;
  const email = `spray-${crypto.randomUUID().slice(0, 12)}@example.com`;
  const response = await caller.fetch(url, {
    method: "POST",
    headers,
    body: new URLSearchParams({ username: email, password: "Spring2026-guess" }).toString(),
  });
  await response.body?.cancel();
  return response.status;
}

const randomIp = () => `203.0.113.${Math.floor(Math.random() * 250)}`;

let ownHost: Promise<FunctionsHost> | null = null;
/** A host of this file's own with the low limit, configured as the stack configures its host. */
function limitedHost(): Promise<FunctionsHost> {
  // The test runner declares itself a trusted proxy for the gateway it starts; the host is the
  // edge itself and gets only what the stack gives it.
  const { TRUSTED_PROXY_HOPS: _runnerOnly, ...env } = testEnv();
  ownHost ??= startFunctionsHost({ ...env, ...LIMITS }, { port: 0, sweepIntervalMs: 0 }).then((host) => {
    globalThis.addEventListener("unload", () => void host.stop());
    return host;
  });
  return ownHost;
}

const ENTRY_POINTS = {
  "the gateway (/functions/v1/gateway/api/v1/auth/login)": "/gateway/api/v1/auth/login",
  "the auth function (/functions/v1/auth/auth/login)": "/auth/auth/login",
};

it("the functions host serves the gateway at /functions/v1/gateway/…, as Supabase does", async () => {
  const welcome = await fetch(`${stackHost()}/gateway`);
  assert.equal(welcome.status, 200);
  assert.equal((await welcome.json()).message, "Bienvenido a ConectarProfesionales");
  const trades = await fetch(`${stackHost()}/gateway/api/v1/public/oficios`);
  assert.equal(trades.status, 200);
  assert.ok(Array.isArray(await trades.json()));
  // Forwarded to the function that owns the path, which then refuses a missing token.
  const me = await fetch(`${stackHost()}/gateway/api/v1/auth/me`);
  assert.equal(me.status, 401);
  await me.body?.cancel();
  // Each function still answers at its own URL, where QStash delivers (unsigned → refused, not 404).
  const direct = await fetch(`${stackHost()}/professionals/public/oficios`);
  assert.equal(direct.status, 200);
  await direct.body?.cancel();
  const delivery = await fetch(`${stackHost()}/notifications/events`, { method: "POST", body: "{}" });
  assert.equal(delivery.status, 401);
  await delivery.body?.cancel();
  const unknown = await fetch(`${stackHost()}/nope/x`);
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

for (const [entry, path] of Object.entries(ENTRY_POINTS)) {
  it(`through the host, ${entry}: per-IP login limit by the caller's address; a spoofed X-Forwarded-For buys no fresh bucket`, async () => {
    const host = await limitedHost();
    const attacker = peer();
    for (let i = 0; i < LIMIT; i++) {
      assert.equal(await failedLogin(attacker, `${host.url}${path}`, randomIp()), 401, `attempt ${i + 1}`);
    }
    assert.equal(await failedLogin(attacker, `${host.url}${path}`, randomIp()), 429);
    assert.equal(await failedLogin(attacker, `${host.url}${path}`), 429);
    // The limit is per address, not global.
    assert.equal(await failedLogin(peer(), `${host.url}${path}`, attacker.address), 401, "another caller");
  });
}

it("through the host, the gateway and the auth function count a caller in the same bucket", async () => {
  const host = await limitedHost();
  const caller = peer();
  const [viaGateway, direct] = Object.values(ENTRY_POINTS).map((path) => `${host.url}${path}`);
  assert.equal(await failedLogin(caller, viaGateway, randomIp()), 401);
  assert.equal(await failedLogin(caller, direct, randomIp()), 401);
  assert.equal(await failedLogin(caller, viaGateway), 401);
  assert.equal(await failedLogin(caller, direct, randomIp()), 429);
  assert.equal(await failedLogin(caller, viaGateway, randomIp()), 429);
});

it("the gateway on its own port (as `deno task dev` serves it): per-IP login limit by the caller's address", async () => {
  const gateway = await api({ ...LIMITS, TRUSTED_PROXY_HOPS: "1" });
  const attacker = peer();
  const url = `${gateway.url}/api/v1/auth/login`;
  for (let i = 0; i < LIMIT; i++) assert.equal(await failedLogin(attacker, url, randomIp()), 401);
  assert.equal(await failedLogin(attacker, url, randomIp()), 429);
  assert.equal(await failedLogin(peer(), url, attacker.address), 401, "another caller");
});

/** An anon key like a project's: a JWT these functions cannot verify (and must not need to). */
async function anonKey(): Promise<string> {
  return await new SignJWT({ role: "anon", iss: "supabase-demo" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(crypto.getRandomValues(new Uint8Array(32)));
}

it("supabase-js functions.invoke reaches the API through the host's gateway; public routes ignore the anon key", async () => {
  const supabase = createClient(stackHost().replace(/\/functions\/v1$/, ""), await anonKey(), {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  const trades = await supabase.functions.invoke("gateway/api/v1/public/oficios", { method: "GET" });
  assert.equal(trades.error, null, `GET → ${(trades.error as { context?: Response })?.context?.status}`);
  assert.ok(Array.isArray(trades.data), JSON.stringify(trades.data));
  assert.ok(trades.data.length > 0, "the seeded trades");
  assert.equal(typeof trades.data[0].nombre, "string");

  const search = await supabase.functions.invoke("gateway/api/v1/search", {
    method: "POST",
    body: { limit: 5 },
  });
  assert.equal(search.error, null, `POST → ${(search.error as { context?: Response })?.context?.status}`);
  assert.equal(typeof search.data.total, "number");
  assert.ok(Array.isArray(search.data.resultados));

  // The anon key is no user token: a signed-in route refuses it (and says why).
  const me = await supabase.functions.invoke("gateway/api/v1/auth/me", { method: "GET" });
  assert.ok(me.error, "401 is an error for supabase-js");
  const response = (me.error as { context?: Response }).context;
  assert.equal(response?.status, 401);
  await response?.body?.cancel();
});
