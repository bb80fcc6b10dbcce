import assert from "node:assert/strict";
import { createDb, type Tx } from "../../shared/db.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import { seedNotifications } from "./support.ts";

const db = createDb(testEnv().DATABASE_URL, { max: 2, appName: "notifications-rls-test" });
const asAuthUser = (account: { id: string; email: string }) => ({
  id: account.id,
  rol: "CLIENTE" as const,
  email: account.email,
  sessionId: null,
  issuedAt: 0,
});

it("notifications: a person sees, marks and deletes only their own rows", async () => {
  const [a, b] = [await createAccount("CLIENTE"), await createAccount("CLIENTE")];
  const [mine] = await seedNotifications(a.id, 1);
  const [theirs] = await seedNotifications(b.id, 1);
  const seen = await db.asUser(asAuthUser(a), (tx) => tx`select id from public.notifications`);
  assert.deepEqual(seen.map((r) => r.id), [mine]);
  const updated = await db.asUser(
    asAuthUser(a),
    (tx) => tx`update public.notifications set leida = true where id = ${theirs} returning id`,
  );
  assert.equal(updated.length, 0);
  const deleted = await db.asUser(
    asAuthUser(a),
    (tx) => tx`delete from public.notifications where id = ${theirs} returning id`,
  );
  assert.equal(deleted.length, 0);
  const [row] = await testSql()`select leida from public.notifications where id = ${theirs}`;
  assert.equal(row.leida, false);
  await assert.rejects(db.asAnon((tx) => tx`select count(*) from public.notifications`), /permission denied/);
});

it("notifications: people cannot write content — no insert, no title change, only the read flag", async () => {
  const a = await createAccount("CLIENTE");
  const [mine] = await seedNotifications(a.id, 1);
  await assert.rejects(
    db.asUser(
      asAuthUser(a),
      (tx) =>
        tx`insert into public.notifications (usuario_id, tipo, categoria, titulo, mensaje) values (${a.id}, 'SISTEMA', 'cuenta', 'x', 'y')`,
    ),
    /permission denied/,
  );
  await assert.rejects(
    db.asUser(
      asAuthUser(a),
      (tx) => tx`update public.notifications set titulo = 'hacked' where id = ${mine}`,
    ),
    /permission denied/,
  );
  const ok = await db.asUser(
    asAuthUser(a),
    (tx) => tx`update public.notifications set leida = true where id = ${mine} returning id`,
  );
  assert.equal(ok.length, 1);
});

it("notification preferences: a person reads and writes only their own", async () => {
  const [a, b] = [await createAccount("CLIENTE"), await createAccount("CLIENTE")];
  await testSql()`insert into public.notification_preferences (usuario_id, email_pagos) values (${b.id}, false)`;
  const seen = await db.asUser(
    asAuthUser(a),
    (tx) => tx`select usuario_id from public.notification_preferences`,
  );
  assert.equal(seen.length, 0);
  await assert.rejects(
    db.asUser(
      asAuthUser(a),
      (tx) => tx`insert into public.notification_preferences (usuario_id) values (${b.id})`,
    ),
    /row-level security/,
  );
  const changed = await db.asUser(
    asAuthUser(a),
    (tx) =>
      tx`update public.notification_preferences set email_pagos = true where usuario_id = ${b.id} returning usuario_id`,
  );
  assert.equal(changed.length, 0);
});

it("device tokens: a person sees and removes only their own; registering goes through the function", async () => {
  const [a, b] = [await createAccount("CLIENTE"), await createAccount("CLIENTE")];
  await testSql()`insert into public.device_tokens (usuario_id, token) values (${b.id}, ${`b-${crypto.randomUUID()}`})`;
  assert.equal(
    (await db.asUser(asAuthUser(a), (tx) => tx`select token from public.device_tokens`)).length,
    0,
  );
  const removed = await db.asUser(
    asAuthUser(a),
    (tx) => tx`delete from public.device_tokens where usuario_id = ${b.id} returning id`,
  );
  assert.equal(removed.length, 0);
  await assert.rejects(
    db.asUser(
      asAuthUser(a),
      (tx) => tx`insert into public.device_tokens (usuario_id, token) values (${a.id}, 'direct')`,
    ),
    /permission denied/,
  );
  await assert.rejects(
    db.asAnon((tx) => tx`select public.register_device_token('anon-token', 'web')`),
    /permission denied/,
  );
  const [registered] = await db.asUser(
    asAuthUser(a),
    (tx) => tx`select * from public.register_device_token(${`a-${crypto.randomUUID()}`}, 'ios')`,
  );
  assert.equal(registered.usuario_id, a.id);
});

it("delivery rows are service-only: API roles cannot read them", async () => {
  const a = await createAccount("CLIENTE");
  await assert.rejects(
    db.asUser(asAuthUser(a), (tx) => tx`select * from public.notification_deliveries`),
    /permission denied/,
  );
  await assert.rejects(
    db.asAnon((tx) => tx`select * from public.notification_deliveries`),
    /permission denied/,
  );
});

it("the event handler's SQL functions are service-only: API roles can neither write notifications nor read people", async () => {
  const a = await createAccount("CLIENTE");
  const forged = JSON.stringify([{
    usuario_id: a.id,
    tipo: "FALSA",
    categoria: "cuenta",
    titulo: "Falsa",
    mensaje: "x",
    data: {},
  }]);
  const calls = [
    (tx: Tx) =>
      tx`select public.record_notification_event('notifications', ${crypto.randomUUID()}, 'user.registered',
        ${forged}::jsonb, '[]'::jsonb)`,
    (tx: Tx) => tx`select * from public.notification_recipient(${a.id})`,
  ];
  for (const call of calls) {
    await assert.rejects(db.asUser(asAuthUser(a), call), /permission denied/);
    await assert.rejects(db.asAnon(call), /permission denied/);
  }
  const notes = await testSql()`select 1 from public.notifications where usuario_id = ${a.id}`;
  assert.equal(notes.length, 0);
});
