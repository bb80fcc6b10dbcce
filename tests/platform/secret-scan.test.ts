import assert from "node:assert/strict";
import { importJWK, SignJWT } from "jose";
import { withCheckDigits } from "../../functions/payments/cbu.ts";
import { newOpaqueToken } from "../../functions/auth/opaque-tokens.ts";
import { createFunctionApp } from "../../shared/http.ts";
import { generateSigningKey } from "../../shared/jwt-keys.ts";
import { createLogger } from "../../shared/log.ts";
import { fileRecorder, scannedLogging, scanningHandler, scanningSink } from "../support/secret-recorder.ts";
import { allowedKinds, createSecretScanner, scanResponse, type SecretKind } from "../support/secret-scan.ts";

// The scanner of issue 14 ("Secrets never leak"): each detector, the allow-list, and the recorder.

const run = await generateSigningKey("run-1");
const other = await generateSigningKey("other-1");
const sign = async (jwk: typeof run.privateJwk) =>
  await new SignJWT({ role: "authenticated" }).setProtectedHeader({ alg: "ES256", kid: "run-1" })
    .setSubject("u1").setIssuedAt().setExpirationTime("5m").sign(await importJWK(jwk, "ES256"));
const pem = (body: string) => `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
const keyBody = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7".repeat(3);
const env: Record<string, string> = {
  JWT_PUBLIC_JWKS: JSON.stringify(run.publicJwks),
  JWT_PRIVATE_JWK: JSON.stringify(run.privateJwk),
  SUPABASE_SERVICE_ROLE_KEY: "service-role-key-0123456789",
  QSTASH_TOKEN: "qstash-token-abcdefgh",
  QSTASH_CURRENT_SIGNING_KEY: "sig-current-abcdefgh",
  QSTASH_NEXT_SIGNING_KEY: "sig-next-abcdefgh",
  MERCADOPAGO_ACCESS_TOKEN: "APP_USR-mp-access-token",
  MERCADOPAGO_WEBHOOK_SECRET: "mp-webhook-secret-xyz",
  CHECKOUT_LINK_SECRET: "checkout-link-secret-xyz",
  RELAY_SWEEP_SECRET: "relay-sweep-secret-xyz",
  CHAT_WEBHOOK_API_KEY: "chat-webhook-key-xyz",
  EMAIL_API_KEY: "re_email_api_key_xyz",
  FIREBASE_SERVICE_ACCOUNT: JSON.stringify({
    project_id: "p",
    client_email: "a@b",
    private_key: pem(keyBody),
  }),
  FCM_SERVICE_ACCOUNT: JSON.stringify({
    project_id: "p",
    client_email: "a@b",
    private_key: pem(keyBody.replaceAll("Q", "q")),
  }),
};
const scanner = createSecretScanner(env);
const kinds = (text: string) => scanner.scan(text).map((f) => f.kind);

Deno.test("each detector finds its planted secret", async () => {
  const planted: [string, SecretKind | SecretKind[]][] = [
    [`{"h":"$scrypt$ln=14,r=8,p=5$${"A".repeat(22)}$${"b".repeat(43)}"}`, "password-hash"],
    [`x $2b$12$${"a".repeat(53)} y`, "password-hash"],
    [`{"t":"${await sign(run.privateJwk)}"}`, "access-token"],
    [`{"refresh_token":"${newOpaqueToken().token.replace(/^./, "A").replace(/.$/, "7")}"}`, "opaque-token"],
    // An ES256 `d` is 32 bytes in base64url: shaped like an opaque token too.
    [`{"d":"${run.privateJwk.d}"}`, ["opaque-token", "service-secret"]],
    [`{"k":${JSON.stringify(pem(keyBody))}}`, "service-secret"],
    [`{"k":${JSON.stringify(pem(keyBody.replaceAll("Q", "q")))}}`, "service-secret"],
    [`cbu=${withCheckDigits("2850590", "4009041813520")};`, "cbu"],
  ];
  for (const name of Object.keys(env).filter((n) => !/JWK|ACCOUNT/.test(n))) {
    planted.push([`error: ${env[name]} rejected`, "service-secret"]);
  }
  for (const [text, kind] of planted) assert.deepEqual(kinds(text), [kind].flat(), text);
});

Deno.test("look-alikes are not secrets", async () => {
  assert.deepEqual(kinds(`{"t":"${await sign(other.privateJwk)}"}`), [], "a JWT of another key");
  assert.deepEqual(kinds(JSON.stringify(run.publicJwks)), [], "the published JWKS (GET …/jwks.json)");
  assert.deepEqual(kinds(`cbu ${"2850590940090418135202"}`), [], "bad check digit");
  assert.deepEqual(kinds(`cbu ******************5201`), [], "masked");
  assert.deepEqual(kinds(`{"id":"3f1c2b1e-8d2a-4c55-9a77-0c7e4f5a9b10","n":12345678901234567890}`), []);
  assert.deepEqual(kinds(`{"path":"${"abcdefghij".repeat(4)}xyz"}`), [], "43 lower-case letters");
});

Deno.test("the allow-list lets exactly the intended cases through", () => {
  const allowed = (m: string, p: string, s: number, part: string) => [...allowedKinds(m, p, s, part)].sort();
  assert.deepEqual(allowed("POST", "/auth/login", 200, "body"), ["access-token", "opaque-token"]);
  assert.deepEqual(allowed("POST", "/api/v1/auth/refresh", 200, "body"), ["access-token", "opaque-token"]);
  assert.deepEqual(allowed("GET", "/admin/pagos/retiros/export.csv", 200, "body"), ["cbu"]);
  assert.deepEqual(allowed("GET", "/payments/checkout/abc", 302, "location"), ["opaque-token"]);
  // Not: another status, part, method or route.
  assert.deepEqual(allowed("POST", "/auth/login", 401, "body"), []);
  assert.deepEqual(allowed("POST", "/auth/login", 200, "x-debug"), []);
  assert.deepEqual(allowed("GET", "/auth/login", 200, "body"), []);
  assert.deepEqual(allowed("POST", "/auth/register", 200, "body"), []);
  assert.deepEqual(allowed("GET", "/pagos/retiros", 200, "body"), []);
  assert.deepEqual(allowed("GET", "/payments/checkout/abc", 302, "body"), []);
  // A login answer may carry the tokens it issues, never a password hash nor a service key.
  const hits = scanResponse(scanner, {
    method: "POST",
    path: "/auth/login",
    status: 200,
    headers: new Headers({ "x-key": env.QSTASH_TOKEN }),
    body: `{"access_token":"${newOpaqueToken().token}","h":"$2a$10$${"x".repeat(53)}"}`,
  });
  assert.deepEqual(hits.map((h) => h.kind).sort(), ["password-hash", "service-secret"]);
});

Deno.test("a route echoing a secret and a log line carrying one are recorded", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const recorder = fileRecorder(dir);
    const log = createLogger("users", "info", scanningSink(scanner, recorder, "info", () => {}));
    const app = createFunctionApp({
      name: "users",
      basePath: "/leaky",
      version: "t",
      log,
      corsOrigins: [],
      checks: {},
    });
    app.get("/echo", (c) => {
      log.warn("calling storage", { key: env.SUPABASE_SERVICE_ROLE_KEY });
      return c.json({ key: env.SUPABASE_SERVICE_ROLE_KEY });
    });
    app.get("/clean", (c) => c.json({ ok: true }));
    const handler = scanningHandler(app.fetch, scanner, recorder);
    const info = {
      remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 },
    } as Deno.ServeHandlerInfo;
    const echoed = await handler(new Request("http://x/leaky/echo"), info);
    assert.deepEqual(
      await echoed.json(),
      { key: env.SUPABASE_SERVICE_ROLE_KEY },
      "the caller still reads it",
    );
    await (await handler(new Request("http://x/leaky/clean"), info)).body?.cancel();
    const lines = [];
    for (const entry of Deno.readDirSync(dir)) {
      lines.push(...Deno.readTextFileSync(`${dir}/${entry.name}`).split("\n").filter(Boolean));
    }
    const hits = lines.map((l) => JSON.parse(l));
    assert.equal(hits.length, 2, JSON.stringify(hits));
    assert.ok(hits.every((h) => h.kind === "service-secret"));
    assert.ok(hits.some((h) => h.where === 'log: fn=users msg="calling storage"'));
    assert.ok(hits.some((h) => h.where === "GET /leaky/echo → 200 (body)"));
    assert.ok(
      hits.every((h) => !JSON.stringify(h).includes(env.SUPABASE_SERVICE_ROLE_KEY)),
      "hits are excerpts",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the stack's logging scans every level and shows only the run's LOG_LEVEL and above", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const shown: string[] = [];
    const logging = scannedLogging(scanner, fileRecorder(dir), "warn", (line) => shown.push(line));
    assert.equal(logging.level, "debug");
    const log = createLogger("users", logging.level, logging.sink);
    log.debug("calling storage", { key: env.SUPABASE_SERVICE_ROLE_KEY });
    log.info("token seen", { token: await sign(run.privateJwk) });
    log.warn("slow storage", { ms: 900 });
    const hits = Deno.readDirSync(dir).toArray().flatMap((entry) =>
      Deno.readTextFileSync(`${dir}/${entry.name}`).split("\n").filter(Boolean).map((l) => JSON.parse(l))
    );
    assert.deepEqual(hits.map((h) => [h.kind, h.where]).sort(), [
      ["access-token", 'log: fn=users msg="token seen"'],
      ["service-secret", 'log: fn=users msg="calling storage"'],
    ]);
    assert.deepEqual(shown.map((line) => JSON.parse(line).msg), ["slow storage"]);
    assert.throws(() => scannedLogging(scanner, fileRecorder(dir), "loud"), /not a level/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
