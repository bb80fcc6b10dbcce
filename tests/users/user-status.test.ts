import assert from "node:assert/strict";
import { AppError } from "../../shared/errors.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { changeUserStatus, statusResponse } from "../../functions/users/user-status.ts";

const noop = () => Promise.resolve();

it("changeUserStatus bans, writes user.banned in the same transaction and ends the sessions", async () => {
  const user = await createAccount("CLIENTE");
  const ended: string[] = [];
  const endSessions = (id: string) => Promise.resolve(void ended.push(id));
  const row = await testSql().begin((tx) =>
    changeUserStatus(tx, "ban", { userId: user.id, actorId: user.id, endSessions })
  );
  assert.equal(row.is_active, false);
  assert.deepEqual(ended, [user.id]);
  const events = await testSql()`select type from public.outbox where aggregate_id = ${user.id}`;
  assert.deepEqual(events.map((e) => e.type), ["user.banned"]);
});

it("a ban whose session revocation fails is rolled back entirely", async () => {
  const user = await createAccount("CLIENTE");
  const endSessions = () => Promise.reject(new Error("redis down"));
  await assert.rejects(
    testSql().begin((tx) => changeUserStatus(tx, "ban", { userId: user.id, actorId: user.id, endSessions })),
    /redis down/,
  );
  const [row] = await testSql()`select is_active from public.usuarios where id = ${user.id}`;
  assert.equal(row.is_active, true);
  assert.equal((await testSql()`select 1 from public.outbox where aggregate_id = ${user.id}`).length, 0);
});

it("unban does not touch sessions; the wrong starting state is a 400 naming it", async () => {
  const user = await createAccount("CLIENTE");
  const options = {
    userId: user.id,
    actorId: user.id,
    endSessions: () => Promise.reject(new Error("not called")),
  };
  await assert.rejects(
    testSql().begin((tx) => changeUserStatus(tx, "unban", options)),
    (e) => e instanceof AppError && e.status === 400 && e.detail.includes("ya está activo"),
  );
  await testSql().begin((tx) => changeUserStatus(tx, "ban", { ...options, endSessions: noop }));
  const row = await testSql().begin((tx) => changeUserStatus(tx, "unban", options));
  assert.equal(row.is_active, true);
  assert.equal(statusResponse("unban", row).message, statusResponse("unban", row).mensaje);
});
