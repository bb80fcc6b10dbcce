import assert from "node:assert/strict";
import { AppError } from "../../shared/errors.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { changeUserRole } from "../../functions/users/user-role.ts";

const noop = () => Promise.resolve();
class Rollback extends Error {}

it("the last active admin cannot be demoted (400), and nothing changes", async () => {
  const admin = await createAccount("ADMIN");
  // Inside one transaction that is always rolled back, every other admin of the shared test
  // database is deactivated, so `admin` is the last active one; no other test sees it. Repeatable
  // read keeps admins other tests create meanwhile out of the count; locking every admin in id
  // order first (as changeUserRole does) keeps concurrent role changes from deadlocking with it.
  await assert.rejects(
    testSql().begin("isolation level repeatable read", async (tx) => {
      await tx`select id from public.usuarios where rol = 'ADMIN' order by id for update`;
      await tx`update public.usuarios set is_active = false where rol = 'ADMIN' and id <> ${admin.id}`;
      try {
        await changeUserRole(tx, { userId: admin.id, rol: "CLIENTE", actorId: admin.id, endSessions: noop });
      } catch (error) {
        assert.ok(error instanceof AppError && error.status === 400, String(error));
        assert.equal(
          error.detail,
          "No se puede quitar el rol de administrador al último administrador activo",
        );
        throw new Rollback();
      }
    }),
    Rollback,
  );
  const [row] = await testSql()`select rol from public.usuarios where id = ${admin.id}`;
  assert.equal(row.rol, "ADMIN");
});

it("demoting a PROFESIONAL keeps their profile; promoting back reuses it", async () => {
  const user = await createAccount("PROFESIONAL");
  const options = { userId: user.id, actorId: user.id, endSessions: noop };
  await testSql().begin((tx) => changeUserRole(tx, { ...options, rol: "CLIENTE" }));
  await testSql().begin((tx) => changeUserRole(tx, { ...options, rol: "PROFESIONAL" }));
  const profiles = await testSql()`select id from public.profesionales where usuario_id = ${user.id}`;
  assert.deepEqual(profiles.map((p) => p.id), [user.profesionalId]);
});
