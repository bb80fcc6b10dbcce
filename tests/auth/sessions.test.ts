import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";
import { createTokenVerifier } from "../../shared/auth.ts";
import type { JsonWebKeySet } from "../../shared/jwt-keys.ts";
import { createSessionRegistry } from "../../shared/sessions.ts";
import { testSql } from "../support/accounts.ts";
import { it, testConfig } from "../support/env.ts";
import { client, expectRefused, loginUser, PASSWORD, registerUser } from "./support.ts";

it("POST /auth/refresh rotates the refresh token and the new pair works", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  const first = await loginUser(http, email);
  const res = await http.json("POST", "/auth/refresh", { body: { refresh_token: first.refresh_token } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.notEqual(res.body.refresh_token, first.refresh_token);
  assert.equal(res.body.token_type, "bearer");
  const sid = (t: string) => JSON.parse(atob(t.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sid;
  assert.equal(sid(res.body.access_token), sid(first.access_token), "same session");
  assert.equal((await http.json("GET", "/auth/me", { token: res.body.access_token })).status, 200);
  const again = await http.json("POST", "/auth/refresh", { body: { refresh_token: res.body.refresh_token } });
  assert.equal(again.status, 200);
});

it("re-using a rotated refresh token ends the whole session: its refresh and access tokens stop working", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  const stolen = await loginUser(http, email);
  const rotated = await http.json("POST", "/auth/refresh", { body: { refresh_token: stolen.refresh_token } });
  assert.equal(rotated.status, 200);
  const reuse = await http.json("POST", "/auth/refresh", { body: { refresh_token: stolen.refresh_token } });
  assert.equal(reuse.status, 401);
  assert.equal(reuse.headers.get("www-authenticate"), "Bearer");
  const latest = await http.json("POST", "/auth/refresh", {
    body: { refresh_token: rotated.body.refresh_token },
  });
  assert.equal(latest.status, 401, "the family is revoked");
  await expectRefused(http, rotated.body.access_token, "access token of a revoked family");
  const sid = JSON.parse(atob(stolen.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sid;
  const [session] = await testSql()`select revoked_reason from public.auth_sessions where id = ${sid}`;
  assert.equal(session.revoked_reason, "reuse_detected");
});

it("POST /auth/refresh with an unknown, malformed or missing token answers 401 or 422", async () => {
  const http = await client();
  assert.equal(
    (await http.json("POST", "/auth/refresh", { body: { refresh_token: "A".repeat(43) } })).status,
    401,
  );
  assert.equal((await http.json("POST", "/auth/refresh", { body: { refresh_token: "nope" } })).status, 401);
  const missing = await http.json("POST", "/auth/refresh", { body: {} });
  assert.equal(missing.status, 422);
  assert.equal(typeof missing.body.detail, "string");
});

it("POST /auth/logout ends this session only: its tokens stop working, another session keeps going", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  const phone = await loginUser(http, email);
  const laptop = await loginUser(http, email);
  const res = await http.json("POST", "/auth/logout", { token: phone.access_token });
  assert.equal(res.status, 200);
  assert.equal(res.body.success, true);
  await expectRefused(http, phone.access_token, "logged-out access token");
  assert.equal(
    (await http.json("POST", "/auth/refresh", { body: { refresh_token: phone.refresh_token } })).status,
    401,
  );
  assert.equal((await http.json("GET", "/auth/me", { token: laptop.access_token })).status, 200);
  assert.equal(
    (await http.json("POST", "/auth/refresh", { body: { refresh_token: laptop.refresh_token } })).status,
    200,
  );
  assert.equal((await http.json("POST", "/auth/logout")).status, 401, "logout needs a token");
});

it("POST /auth/logout-all ends every session, and logging in again right away works", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  const a = await loginUser(http, email);
  const b = await loginUser(http, email);
  const res = await http.json("POST", "/auth/logout-all", { token: a.access_token });
  assert.equal(res.status, 200);
  for (const t of [a, b]) {
    await expectRefused(http, t.access_token, "after logout-all");
    assert.equal(
      (await http.json("POST", "/auth/refresh", { body: { refresh_token: t.refresh_token } })).status,
      401,
    );
  }
  const fresh = await loginUser(http, email);
  assert.equal((await http.json("GET", "/auth/me", { token: fresh.access_token })).status, 200);
});

it("a banned user's existing access token is refused once the ban ends their sessions, and refresh is refused", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const tokens = await loginUser(http, email);
  const verify = createTokenVerifier({
    jwks: testConfig().JWT_PUBLIC_JWKS as JsonWebKeySet,
    issuer: "conectar-profesionales",
    audience: "authenticated",
    maxLifetimeSeconds: testConfig().JWT_ACCESS_TTL_MINUTES * 60,
  });
  assert.equal((await verify(tokens.access_token)).id, id, "the token itself is valid");
  // "Valid after" has one-second resolution (like iat): ban in the next second, as a real ban would be.
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
  // What the users service's ban does: deactivate, then end every session through the registry.
  await testSql()`update public.usuarios set is_active = false where id = ${id}`;
  const config = testConfig();
  const redis = new Redis({ url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN });
  await createSessionRegistry(redis).endAll(id);
  await expectRefused(http, tokens.access_token, "banned user's token");
  const refresh = await http.json("POST", "/auth/refresh", { body: { refresh_token: tokens.refresh_token } });
  assert.equal(refresh.status, 401);
  assert.match(refresh.body.detail, /desactivada/);
  const login = await http.form("/auth/login", { username: email, password: PASSWORD });
  assert.equal(login.status, 401);
  assert.match(login.body.detail, /desactivada/);
});

it("a refresh-token reuse presented while Redis is down ends the session in the database, and in Redis once it answers", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  const stolen = await loginUser(http, email);
  const rotated = await http.json("POST", "/auth/refresh", { body: { refresh_token: stolen.refresh_token } });
  assert.equal(rotated.status, 200);
  // A gateway of its own whose Redis does not answer (nothing listens there).
  const redisDown = await client(undefined, { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" });
  const reuse = await redisDown.json("POST", "/auth/refresh", {
    body: { refresh_token: stolen.refresh_token },
  });
  assert.equal(reuse.status, 401, JSON.stringify(reuse.body));
  const sid = JSON.parse(atob(stolen.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sid;
  const [session] = await testSql()`select revoked_reason from public.auth_sessions where id = ${sid}`;
  assert.equal(session.revoked_reason, "reuse_detected");
  const latest = await http.json("POST", "/auth/refresh", {
    body: { refresh_token: rotated.body.refresh_token },
  });
  assert.equal(latest.status, 401, "the thief's family is dead");
  // Redis answers again (the shared gateway's): the scheduled run (the stack's functions host calls
  // POST /auth/events/sessions) writes the mark the revocation owed, so the registry refuses the
  // session's access tokens too.
  const config = testConfig();
  const redis = new Redis({ url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN });
  const deadline = Date.now() + 10_000;
  while (await redis.get(`sessions:revoked:${sid}`) === null) {
    assert.ok(Date.now() < deadline, "the owed registry mark was not written");
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(await redis.ttl(`sessions:revoked:${sid}`) > config.JWT_ACCESS_TTL_MINUTES * 60 - 60);
  await expectRefused(http, stolen.access_token, "the reused session's first access token");
  await expectRefused(http, rotated.body.access_token, "the reused session's latest access token");
});
