// Row-level security of `usuarios` and the directory function, as each database role, against
// the real database (through shared/db.ts, as the functions use it).

import assert from "node:assert/strict";
import postgres from "postgres";
import { createAccount } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { asAuth, rlsDb, sqlState } from "../support/rls.ts";
import { marker } from "./helpers.ts";

const db = rlsDb("users-rls-test");

it("a user sees only their own usuarios row", async () => {
  const me = await createAccount("CLIENTE");
  const other = await createAccount("CLIENTE");
  const rows = await db.asUser(asAuth(me), (tx) => tx`select id from public.usuarios`);
  assert.deepEqual(rows.map((r) => r.id), [me.id]);
  const direct = await db.asUser(
    asAuth(me),
    (tx) => tx`select id from public.usuarios where id = ${other.id}`,
  );
  assert.equal(direct.length, 0);
});

it("an admin sees every usuarios row", async () => {
  const admin = await createAccount("ADMIN");
  const a = await createAccount("CLIENTE");
  const b = await createAccount("PROFESIONAL");
  const rows = await db.asUser(
    asAuth(admin),
    (tx) => tx`select id from public.usuarios where id in ${tx([admin.id, a.id, b.id])}`,
  );
  assert.equal(rows.length, 3);
});

it("anon can read no usuarios row and cannot use the directory", async () => {
  await createAccount("CLIENTE");
  assert.equal(await sqlState(db.asAnon((tx) => tx`select id from public.usuarios`)), "42501");
  assert.equal(
    await sqlState(db.asAnon((tx) => tx`select * from public.search_user_directory('example', 20)`)),
    "42501",
  );
});

it("a user cannot change their own rol, is_active, avatar_url or strikes", async () => {
  const me = await createAccount("CLIENTE");
  const attempts = [
    (tx: postgres.TransactionSql) => tx`update public.usuarios set rol = 'ADMIN' where id = ${me.id}`,
    (tx: postgres.TransactionSql) => tx`update public.usuarios set is_active = false where id = ${me.id}`,
    (tx: postgres.TransactionSql) =>
      tx`update public.usuarios set avatar_url = 'http://evil' where id = ${me.id}`,
    (tx: postgres.TransactionSql) => tx`update public.usuarios set infracciones_chat = 0 where id = ${me.id}`,
    (tx: postgres.TransactionSql) => tx`delete from public.usuarios where id = ${me.id}`,
    (tx: postgres.TransactionSql) =>
      tx`insert into public.usuarios (email, nombre, apellido, rol) values ('x@example.com', 'x', 'y', 'ADMIN')`,
  ];
  for (const attempt of attempts) {
    assert.equal(await sqlState(db.asUser(asAuth(me), attempt)), "42501");
  }
  const [row] = await db.asUser(
    asAuth(me),
    (tx) => tx`select rol, is_active from public.usuarios where id = ${me.id}`,
  );
  assert.deepEqual({ ...row }, { rol: "CLIENTE", is_active: true });
});

it("a user can rename only themselves", async () => {
  const me = await createAccount("CLIENTE");
  const other = await createAccount("CLIENTE", { nombre: "Intacto" });
  const mine = await db.asUser(
    asAuth(me),
    (tx) => tx`update public.usuarios set nombre = 'Nuevo' where id = ${me.id} returning id`,
  );
  assert.equal(mine.length, 1);
  const theirs = await db.asUser(
    asAuth(me),
    (tx) => tx`update public.usuarios set nombre = 'Pirata' where id = ${other.id} returning id`,
  );
  assert.equal(theirs.length, 0);
  const [row] = await db.asService((tx) => tx`select nombre from public.usuarios where id = ${other.id}`);
  assert.equal(row.nombre, "Intacto");
});

it("the directory gives a signed-in user the public card of other active, non-admin users only", async () => {
  const tag = marker("Dir");
  const me = await createAccount("CLIENTE", { nombre: tag });
  const other = await createAccount("PROFESIONAL", { nombre: tag });
  const inactive = await createAccount("CLIENTE", { nombre: tag });
  await createAccount("ADMIN", { nombre: tag });
  await db.asService((tx) => tx`update public.usuarios set is_active = false where id = ${inactive.id}`);
  const rows = await db.asUser(
    asAuth(me),
    (tx) => tx`select * from public.search_user_directory(${tag}, 50)`,
  );
  assert.deepEqual(rows.map((r) => r.id), [other.id]);
  assert.deepEqual(Object.keys(rows[0]).sort(), ["apellido", "avatar_url", "es_profesional", "id", "nombre"]);
  assert.equal(rows[0].es_profesional, true);
  const partialEmail = await db.asUser(
    asAuth(me),
    (tx) => tx`select id from public.search_user_directory(${other.email.split("@")[0]}, 50)`,
  );
  assert.equal(partialEmail.length, 0, "e-mails match only exactly");
  const exactEmail = await db.asUser(
    asAuth(me),
    (tx) => tx`select id from public.search_user_directory(${other.email.toUpperCase()}, 50)`,
  );
  assert.deepEqual(exactEmail.map((r) => r.id), [other.id]);
});
