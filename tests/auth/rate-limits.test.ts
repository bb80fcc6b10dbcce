import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { emailsTo, waitFor } from "../events/helpers.ts";
import {
  type Client,
  client,
  mailedToken,
  PASSWORD,
  registerUser,
  type Reply,
  uniqueEmail,
  uniqueIp,
} from "./support.ts";

// A gateway of its own with small limits (the defaults are 10 failed logins per account and
// address, 100 per address, 100 per account across addresses, …); the code path is the same.
const LIMITS = {
  RATE_LIMIT_LOGIN_PER_ACCOUNT: "3/10m",
  RATE_LIMIT_LOGIN_PER_IP: "6/10m",
  RATE_LIMIT_LOGIN_ACCOUNT_CEILING: "5/10m",
  RATE_LIMIT_REGISTER_PER_ACCOUNT: "5/10m",
  RATE_LIMIT_REGISTER_PER_IP: "3/10m",
  RATE_LIMIT_RECOVERY_PER_ACCOUNT: "2/10m",
  RATE_LIMIT_RECOVERY_PER_IP: "4/10m",
};
const limited = (ip = uniqueIp()) => client(ip, LIMITS);
const login = (http: Client, email: string, password: string) =>
  http.form("/auth/login", { username: email, password });

function assertThrottled(res: Reply, limit: number, detail = /Demasiados intentos/) {
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.equal(typeof res.body.detail, "string");
  assert.match(res.body.detail, detail);
  const retryAfter = Number(res.headers.get("retry-after"));
  assert.ok(retryAfter >= 1 && retryAfter <= 600, `Retry-After ${retryAfter}`);
  assert.equal(res.headers.get("x-ratelimit-limit"), String(limit));
  assert.equal(res.headers.get("x-ratelimit-remaining"), "0");
  const reset = Number(res.headers.get("x-ratelimit-reset"));
  assert.ok(reset * 1000 > Date.now() && reset * 1000 <= Date.now() + 600_000 + 1000, `reset ${reset}`);
}
const CEILING = /bloqueado temporalmente: hubo demasiados intentos fallidos desde distintos lugares/;

it("a guesser's address is throttled on the account it attacks; the owner on another address signs in", async () => {
  const attacker = await limited();
  const { email } = await registerUser(await limited());
  for (let i = 0; i < 3; i++) assert.equal((await login(attacker, email, `Wrong-${i}-password`)).status, 401);
  assertThrottled(await login(attacker, email, "Wrong-again-1"), 3);
  assertThrottled(await login(attacker, email, PASSWORD), 3);
  // Before: the account's window counted every address, so the owner got 429 for 15 minutes.
  const owner = await limited();
  assert.equal((await login(owner, email, PASSWORD)).status, 200, "the owner is not locked out");
  assert.equal((await login(owner, email, PASSWORD)).status, 200);
});

it("30 correct logins in a row from one address all succeed (several devices, a test suite)", async () => {
  const http = await limited();
  const { email } = await registerUser(http);
  for (let i = 0; i < 30; i++) {
    const res = await login(http, email, PASSWORD);
    assert.equal(res.status, 200, `login ${i + 1}: ${JSON.stringify(res.body)}`);
  }
});

it("a correct login clears that address's failures on the account", async () => {
  const http = await limited();
  const { email } = await registerUser(http);
  // Four failures on the pair (limit 3), but a success between them: the fourth still answers 401.
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 2; i++) {
      assert.equal((await login(http, email, `Wrong-${i}-password`)).status, 401, `round ${round}`);
    }
    assert.equal((await login(http, email, PASSWORD)).status, 200, `round ${round}`);
  }
});

it("a locked account does not affect other accounts, even from the attacker's IP", async () => {
  const attacker = await limited();
  const victim = await registerUser(attacker);
  const bystander = await registerUser(await limited());
  for (let i = 0; i < 3; i++) await login(attacker, victim.email, `Wrong-${i}-password`);
  assert.equal((await login(attacker, victim.email, "Wrong-3-password")).status, 429);
  assert.equal((await login(attacker, bystander.email, PASSWORD)).status, 200);
  assert.equal((await login(await limited(), bystander.email, PASSWORD)).status, 200);
});

it("POST /auth/login answers 429 to an IP that tries too many accounts (password spraying)", async () => {
  const ip = uniqueIp();
  const http = await limited(ip);
  for (let i = 0; i < 6; i++) {
    assert.equal((await login(http, uniqueEmail("spray"), "Spring2026!")).status, 401);
  }
  assertThrottled(await login(http, uniqueEmail("spray"), "Spring2026!"), 6);
  assert.equal(
    (await login(await limited(), uniqueEmail("spray"), "Spring2026!")).status,
    401,
    "other IPs unaffected",
  );
});

it("guessing one account from many addresses hits its ceiling: a clear 429 for everyone, one e-mail to the owner", async () => {
  const { id, email } = await registerUser(await limited());
  for (let i = 0; i < 5; i++) {
    assert.equal((await login(await limited(), email, `Wrong-${i}-password`)).status, 401);
  }
  assertThrottled(await login(await limited(), email, "Wrong-5-password"), 5, CEILING);
  // Past the ceiling even the right password waits (else guessing could go on), with the same text.
  const owner = await limited();
  assertThrottled(await login(owner, email, PASSWORD), 5, CEILING);
  const events = () =>
    testSql()`select payload from public.outbox where aggregate_id = ${id} and type = 'auth.login_throttled'`;
  const [event] = await events();
  assert.ok(event, "auth.login_throttled is in the outbox");
  assert.equal(event.payload.user_id, id);
  assert.equal(event.payload.email, email);
  assert.ok(Date.parse(event.payload.bloqueado_hasta) > Date.now());
  const mail = await waitFor(
    () =>
      emailsTo(email).then((m) =>
        m.find((e) => e.subject === "Intentos fallidos de inicio de sesión en tu cuenta")
      ),
    { what: "the owner's e-mail" },
  );
  assert.match(mail.text, /restablecerla levanta el bloqueo/);
  for (let i = 0; i < 3; i++) await login(await limited(), email, `Wrong-more-${i}`);
  assert.equal((await events()).length, 1, "told once per blocked window");

  // Resetting the password lifts the block at once.
  assert.equal((await owner.json("POST", "/auth/forgot-password", { body: { email } })).status, 200);
  const token = await mailedToken(email, "reset-password");
  const done = await owner.json("POST", "/auth/reset-password", {
    body: { token, new_password: "Otra-clave-segura-9" },
  });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal((await login(owner, email, "Otra-clave-segura-9")).status, 200);
});

it("the ceiling answers an address nobody has exactly like a real account (no account oracle)", async () => {
  const email = uniqueEmail("ghost");
  for (let i = 0; i < 5; i++) {
    assert.equal((await login(await limited(), email, `Wrong-${i}-password`)).status, 401);
  }
  assertThrottled(await login(await limited(), email, "Wrong-5-password"), 5, CEILING);
});

it("wrong current passwords on change-password count like failed logins, per address", async () => {
  const http = await limited();
  const { email } = await registerUser(http);
  const { access_token } = (await login(http, email, PASSWORD)).body;
  const change = () =>
    http.json("POST", "/auth/change-password", {
      token: access_token,
      body: { current_password: "Not-my-password-1", new_password: "Nueva-clave-segura-7" },
    });
  for (let i = 0; i < 3; i++) assert.equal((await change()).status, 400);
  assertThrottled(await change(), 3);
  assert.equal((await login(await limited(), email, PASSWORD)).status, 200, "the owner elsewhere is fine");
});

it("POST /auth/register answers 429 to an IP that registers too often", async () => {
  const http = await limited();
  const { email } = await registerUser(http);
  const again = { email, password: PASSWORD, nombre: "Ana", apellido: "Paz" };
  assert.equal((await http.json("POST", "/auth/register", { body: again })).status, 400);
  assert.equal((await http.json("POST", "/auth/register", { body: again })).status, 400);
  assertThrottled(await http.json("POST", "/auth/register", { body: { ...again, email: uniqueEmail() } }), 3);
});

it("POST /auth/forgot-password answers 429 when one address is asked for too often", async () => {
  const email = uniqueEmail("forgot");
  for (let i = 0; i < 2; i++) {
    assert.equal(
      (await (await limited()).json("POST", "/auth/forgot-password", { body: { email } })).status,
      200,
    );
  }
  assertThrottled(await (await limited()).json("POST", "/auth/forgot-password", { body: { email } }), 2);
  const other = await (await limited()).json("POST", "/auth/forgot-password", {
    body: { email: uniqueEmail() },
  });
  assert.equal(other.status, 200, "another address is unaffected");
});

it("POST /auth/reset-password answers 429 to an IP guessing tokens", async () => {
  const http = await limited();
  const attempt = () =>
    http.json("POST", "/auth/reset-password", {
      body: { token: "g".repeat(43), new_password: "Nueva-clave-2026" },
    });
  for (let i = 0; i < 4; i++) assert.equal((await attempt()).status, 400);
  assertThrottled(await attempt(), 4);
});
