import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { client, loginUser, mailedToken, registerUser } from "./support.ts";

it("e-mail verification: the link from registration verifies once; asking again when verified sends nothing", async () => {
  const http = await client();
  const { id, email } = await registerUser(http);
  const { access_token: token } = await loginUser(http, email);
  const registration = await mailedToken(email, "verify-email");
  const requested = await http.json("POST", "/auth/verify-email/request", { token });
  assert.equal(requested.status, 200);
  assert.equal(requested.body.email_verificado, false);
  const events = await testSql()`select payload from public.outbox
    where aggregate_id = ${id} and type = 'email.verification_requested' order by created_at`;
  assert.equal(events.length, 2);
  const latest = await mailedToken(email, "verify-email", 2);
  const stale = await http.json("POST", "/auth/verify-email", { body: { token: registration } });
  assert.equal(stale.status, 400, "the registration link was superseded by the new one");
  const ok = await http.json("POST", `/auth/verify-email?token=${latest}`);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.email_verificado, true);
  assert.equal((await http.json("GET", "/auth/me", { token })).body.email_verificado, true);
  assert.equal(
    (await http.json("POST", "/auth/verify-email", { body: { token: latest } })).status,
    400,
  );
  const again = await http.json("POST", "/auth/verify-email/request", { token });
  assert.equal(again.body.email_verificado, true);
  assert.equal((await http.json("POST", "/auth/verify-email/request")).status, 401);
  assert.equal((await http.json("POST", "/auth/verify-email", { body: {} })).status, 422);
});
