import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it, testConfig } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { type Client, client, loginUser, mailedToken, registerUser, type Reply } from "./support.ts";

/**
 * The pages the reset and verification e-mails link to, served by auth at the API's origin (the
 * frontend has neither). Fetched and "submitted" over HTTP the way their script does it: it
 * posts to the existing JSON routes under the prefix the page was served at.
 */
const resetToken = (email: string, nth = 1) => mailedToken(email, "reset-password", nth);
const verificationToken = (email: string) => mailedToken(email, "verify-email");

async function page(http: Client, path: string): Promise<Reply & { state: string }> {
  const res = await http.raw(path, { method: "GET" });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  const state = /<main data-page="\w+" data-state="(\w+)">/.exec(res.body)?.[1] ?? "";
  return { ...res, state };
}

/** The section the server shows (the others carry `hidden`). */
function shown(html: string): string {
  return [...html.matchAll(/<section data-for="[^"]*">([\s\S]*?)<\/section>/g)].map((m) => m[1]).join("\n");
}

it("GET /reset-password with a live link shows the form; posting it as the page does sets the password", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  assert.equal((await http.json("POST", "/auth/forgot-password", { body: { email } })).status, 200);
  const token = await resetToken(email);

  const form = await page(http, `/reset-password?token=${token}`);
  assert.equal(form.state, "form");
  assert.match(shown(form.body), /Elegí una contraseña nueva/);
  assert.match(shown(form.body), /<form id="reset-form"/);
  assert.ok(!form.body.includes(token), "the token is not written into the page");
  assert.match(form.body, /<html lang="es">/);
  assert.match(form.body, /"\/auth\/reset-password"/, "the script posts to the existing route");

  // What the script sends: JSON {token, new_password} to <prefix>/auth/reset-password.
  const done = await http.json("POST", "/auth/reset-password", {
    body: { token, new_password: "Clave-desde-la-pagina-1" },
  });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  await loginUser(http, email, "Clave-desde-la-pagina-1");

  const again = await page(http, `/reset-password?token=${token}`);
  assert.equal(again.state, "used");
  assert.match(shown(again.body), /Este enlace ya se usó/);
  assert.match(shown(again.body), /<form id="request-form"/, "offers a new link");
});

it("GET /reset-password says when a link expired, is broken, or is missing (and offers a new one)", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  await http.json("POST", "/auth/forgot-password", { body: { email } });
  const token = await resetToken(email);
  await testSql()`update public.auth_one_time_tokens
    set created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
    where user_id = ${id} and purpose = 'password_reset' and used_at is null`;
  const expired = await page(http, `/reset-password?token=${token}`);
  assert.equal(expired.state, "expired");
  assert.match(shown(expired.body), /Este enlace venció/);
  assert.match(shown(expired.body), /duran 60 minutos/);

  const broken = await page(http, `/reset-password?token=${token.slice(0, 20)}`);
  assert.equal(broken.state, "invalid");
  assert.match(shown(broken.body), /no es válido/);

  const none = await page(http, "/reset-password");
  assert.equal(none.state, "request");
  assert.match(shown(none.body), /¿Olvidaste tu contraseña\?/);
  assert.match(shown(none.body), /<form id="request-form"/);
  // The request form posts {email} to the existing route.
  assert.match(none.body, /"\/auth\/forgot-password"/);

  // A newer link retires the older one: the page says "already used", not "broken".
  await http.json("POST", "/auth/forgot-password", { body: { email } });
  const first = await resetToken(email, 2);
  await http.json("POST", "/auth/forgot-password", { body: { email } });
  assert.equal((await page(http, `/reset-password?token=${first}`)).state, "used");
});

it("GET /verify-email confirms through POST /auth/verify-email and links to the frontend; a reused link says so", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const token = await verificationToken(email);
  const checking = await page(http, `/verify-email?token=${token}`);
  assert.equal(checking.state, "checking");
  assert.match(shown(checking.body), /Confirmando tu correo/);
  assert.match(checking.body, /"\/auth\/verify-email"/);
  const frontend = testConfig().FRONTEND_URL.replace(/\/+$/, "");
  assert.ok(checking.body.includes(`href="${frontend}"`), "links to the frontend");

  const confirmed = await http.json("POST", "/auth/verify-email", { body: { token } });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  const [row] =
    await testSql()`select email_verificado_at from public.auth_credentials where user_id = ${id}`;
  assert.ok(row.email_verificado_at);

  const used = await page(http, `/verify-email?token=${token}`);
  assert.equal(used.state, "used");
  assert.match(shown(used.body), /Este enlace ya se usó/);
  assert.equal((await page(http, "/verify-email?token=nope")).state, "invalid");
});

it("the pages are served under /api/v1 too, with a strict CSP, no caching, no indexing and a no-referrer meta", async () => {
  const http = await client();
  for (const path of ["/api/v1/reset-password", "/verify-email", "/reset-password?token=x"]) {
    const res = await page(http, path);
    assert.equal(res.headers.get("cache-control"), "no-store", path);
    assert.equal(res.headers.get("x-robots-tag"), "noindex, nofollow", path);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/, path);
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/, path);
    assert.match(csp, /connect-src 'self'/, path);
    assert.match(res.body, /<meta name="referrer" content="no-referrer">/, path);
  }
});

it("the pages answer with Referrer-Policy: no-referrer (the token in their URL never leaves in a Referer)", async () => {
  const http = await client();
  for (const path of ["/reset-password?token=x", "/verify-email?token=x"]) {
    assert.equal((await page(http, path)).headers.get("referrer-policy"), "no-referrer", path);
  }
});

it("the token in a page's URL is never logged (the access line has the path, not the query)", async () => {
  const lines: string[] = [];
  const original = console.log;
  // The loggers take their sink when they are created: capture while this gateway starts.
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  let logged;
  try {
    logged = await api({ LOG_LEVEL: "debug" });
  } finally {
    console.log = original;
  }
  const http = await client();
  const { email } = await registerUser(http);
  await http.json("POST", "/auth/forgot-password", { body: { email } });
  const token = await resetToken(email);
  const verify = await verificationToken(email);
  for (const path of [`/reset-password?token=${token}`, `/api/v1/verify-email?token=${verify}`]) {
    const response = await logged.fetch(path, { headers: { "x-forwarded-for": "198.51.100.7" } });
    assert.equal(response.status, 200);
    await response.body?.cancel();
  }
  const access = lines.filter((l) => l.includes('"msg":"request"'));
  assert.ok(access.some((l) => l.includes('"path":"/reset-password"')), lines.join("\n"));
  assert.ok(access.some((l) => l.includes('"path":"/api/v1/verify-email"')), lines.join("\n"));
  for (const secret of [token, verify]) {
    assert.deepEqual(lines.filter((l) => l.includes(secret)), [], "a line carries the token");
  }
});
