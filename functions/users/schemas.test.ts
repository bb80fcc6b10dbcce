import assert from "node:assert/strict";
import { adminListQuerySchema, updateMeSchema } from "./schemas.ts";

Deno.test("admin list paging is clamped as the original: page ≥ 1, limit 1–100 (10 when < 1)", () => {
  const parse = (q: Record<string, string>) => adminListQuerySchema.parse(q);
  assert.deepEqual([parse({}).page, parse({}).limit], [1, 10]);
  assert.deepEqual([parse({ page: "-3", limit: "0" }).page, parse({ page: "-3", limit: "0" }).limit], [
    1,
    10,
  ]);
  assert.equal(parse({ limit: "250" }).limit, 100);
  assert.equal(parse({ page: "7", limit: "25" }).page, 7);
  assert.equal(parse({ is_active: "false" }).is_active, false);
  assert.equal(parse({}).is_active, undefined);
  for (const bad of [{ page: "x" }, { limit: "2.5" }, { rol: "ROOT" }, { is_active: "1" }]) {
    assert.equal(adminListQuerySchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

Deno.test("PUT /users/me keeps nombre/apellido only, trimmed, 1–100, null allowed", () => {
  assert.deepEqual(updateMeSchema.parse({ nombre: " Ana ", email: "x@y.z", telefono: "1" }), {
    nombre: "Ana",
  });
  assert.deepEqual(updateMeSchema.parse({ nombre: null }), { nombre: null });
  assert.equal(updateMeSchema.safeParse({ apellido: "" }).success, false);
  assert.equal(updateMeSchema.safeParse({ apellido: "a".repeat(101) }).success, false);
});
