import assert from "node:assert/strict";
import { isCommonPassword, newPasswordSchema } from "./password-policy.ts";

Deno.test("common passwords are refused whatever their case", () => {
  for (const p of ["password", "PASSWORD", "12345678", "qwertyuiop", "iloveyou", "Password1", "BaseBall"]) {
    assert.ok(isCommonPassword(p), p);
    const result = newPasswordSchema.safeParse(p);
    assert.equal(result.success, false, p);
    assert.match(result.error!.issues[0].message, /demasiado común/);
  }
});

Deno.test("the passwords the original's clients and tests use are accepted", () => {
  for (const p of ["Password123!", "Test1234!", "Admin1234!", "correct horse battery staple"]) {
    assert.equal(newPasswordSchema.safeParse(p).success, true, p);
  }
});

Deno.test("passwords shorter than 8 or longer than 128 characters are refused with a Spanish message", () => {
  const short = newPasswordSchema.safeParse("Ab1!xyz");
  assert.equal(short.success, false);
  assert.match(short.error!.issues[0].message, /al menos 8 caracteres/);
  assert.equal(newPasswordSchema.safeParse("x".repeat(129)).success, false);
  assert.equal(newPasswordSchema.safeParse("Zq8!".repeat(32)).success, true);
});
