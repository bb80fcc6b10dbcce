import assert from "node:assert/strict";
import { emitEvent } from "../../shared/events.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { UNKNOWN_ID } from "./support.ts";

it("only admins see the outbox: 403 for clients and professionals", async () => {
  const client = await api();
  for (const rol of ["CLIENTE", "PROFESIONAL"] as const) {
    const user = await createAccount(rol);
    const list = await client.json("GET", "/admin/events/outbox", { token: user.token });
    assert.equal(list.status, 403, rol);
    const retry = await client.json("POST", `/admin/events/outbox/${UNKNOWN_ID}/retry`, {
      token: user.token,
    });
    assert.equal(retry.status, 403, rol);
  }
});

it("GET /admin/events/outbox lists events by state without their payloads", async () => {
  const admin = await createAccount("ADMIN");
  const type = `probe.listed_${crypto.randomUUID().slice(0, 8).replace(/[^a-z]/g, "a")}`;
  await testSql().begin((tx) =>
    emitEvent(tx as never, { type, aggregateId: "a1", producer: "tests", payload: { token: "secret" } })
  );
  const { status, body } = await (await api()).json("GET", `/admin/events/outbox?type=${type}`, {
    token: admin.token,
  });
  assert.equal(status, 200);
  assert.equal(body.total, 1);
  assert.equal(body.items[0].type, type);
  assert.ok(!("payload" in body.items[0]));
  assert.ok(["pending", "in_progress", "published", "failed"].includes(body.items[0].status));
  const bad = await (await api()).json("GET", "/admin/events/outbox?status=lost", { token: admin.token });
  assert.equal(bad.status, 422);
});

it("POST /admin/events/outbox/:id/retry publishes a failed event now; a published one is 400; unknown 404", async () => {
  const admin = await createAccount("ADMIN");
  const [{ id }] = await testSql()`
    insert into public.outbox (type, aggregate_id, producer, payload, status, attempts, last_error, next_attempt_at)
    values ('probe.retried', 'a1', 'tests', '{}', 'failed', 3, 'QStash down', now() + interval '1 hour')
    returning id`;
  const client = await api();
  const retried = await client.json("POST", `/admin/events/outbox/${id}/retry`, { token: admin.token });
  assert.equal(retried.status, 200);
  assert.equal(retried.body.status, "published");
  assert.equal(retried.body.attempts, 4);
  const again = await client.json("POST", `/admin/events/outbox/${id}/retry`, { token: admin.token });
  assert.equal(again.status, 400);
  assert.equal(again.body.detail, "El evento ya fue publicado");
  for (const unknown of [UNKNOWN_ID, "abc"]) {
    const missing = await client.json("POST", `/admin/events/outbox/${unknown}/retry`, {
      token: admin.token,
    });
    assert.equal(missing.status, 404, unknown);
  }
});
