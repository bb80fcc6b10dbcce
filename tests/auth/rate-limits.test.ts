import assert from "node:assert/strict";
import { it } from "../support/env.ts";
import { type Client, client, PASSWORD, registerUser, type Reply, uniqueEmail, uniqueIp } from "./support.ts";

// A gateway of its own with small limits (the defaults are 10 failed logins per account per
// 15 minutes, 100 logins per IP per 15 minutes, …); the code path is the same.
const LIMITS = {
  RATE_LIMIT_LOGIN_PER_ACCOUNT: "3/10m",
  RATE_LIMIT_LOGIN_PER_IP: "6/10m",
  RATE_LIMIT_REGISTER_PER_ACCOUNT: "5/10m",
  RATE_LIMIT_REGISTER_PER_IP: "3/10m",
  RATE_LIMIT_RECOVERY_PER_ACCOUNT: "2/10m",
  RATE_LIMIT_RECOVERY_PER_IP: "4/10m",
};
const limited = (ip = uniqueIp()) => client(ip, LIMITS);
const login = (http: Client, email: string, password: string) =>
  http.form("/auth/login", { username: email, password });

function assertThrottled(res: Reply, limit: number) {
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.equal(typeof res.body.detail, "string");
  assert.match(res.body.detail, /Demasiados intentos/);
  const retryAfter = Number(res.headers.get("retry-after"));
  assert.ok(retryAfter >= 1 && retryAfter <= 600, `Retry-After ${retryAfter}`);
  assert.equal(res.headers.get("x-ratelimit-limit"), String(limit));
  assert.equal(res.headers.get("x-ratelimit-remaining"), "0");
  const reset = Number(res.headers.get("x-ratelimit-reset"));
  assert.ok(reset * 1000 > Date.now() && reset * 1000 <= Date.now() + 600_000 + 1000, `reset ${reset}`);
}

it("POST /auth/login answers 429 after repeated failures on one account, even with the right password", async () => {
  const { email } = await registerUser(await limited());
  for (let i = 0; i < 3; i++) {
    assert.equal((await login(await limited(), email, `Wrong-${i}-password`)).status, 401);
  }
  assertThrottled(await login(await limited(), email, "Wrong-again-1"), 3);
  assertThrottled(await login(await limited(), email, PASSWORD), 3);
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

it("successful logins do not count towards an account's failure limit", async () => {
  const http = await limited();
  const { email } = await registerUser(http);
  await login(http, email, "Wrong-0-password");
  await login(http, email, "Wrong-1-password");
  for (let i = 0; i < 3; i++) assert.equal((await login(await limited(), email, PASSWORD)).status, 200);
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
