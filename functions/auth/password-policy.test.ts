import assert from "node:assert/strict";
import { isCommonPassword, isRepetitiveOrSequential, newPasswordSchema } from "./password-policy.ts";

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

Deno.test("repeated and sequential characters are refused (NIST SP 800-63B), ordinary passwords are not", () => {
  const weak = [
    "aaaaaaaa",
    "12345678",
    "abcdefgh",
    "qwertyui",
    "ABCDEFGH",
    "zyxwvuts",
    "98765432",
    "7890abcd",
    "1234abcd",
    "aaaa1111",
    "abababab",
    "Abcdefgh1",
    "asdfghjkl;",
    "ñññññññññ",
  ];
  for (const p of weak) {
    assert.ok(isRepetitiveOrSequential(p), p);
    const result = newPasswordSchema.safeParse(p);
    assert.equal(result.success, false, p);
    assert.match(result.error!.issues.at(-1)!.message, /repetición o secuencia|demasiado común/, p);
  }
  // Not on the common list, so only the new rule refuses them.
  for (const p of ["aaaaaaaa", "abcdefgh", "zyxwvuts", "7890abcd"]) {
    assert.equal(isCommonPassword(p), false, p);
    assert.match(newPasswordSchema.safeParse(p).error!.issues[0].message, /repetición o secuencia/, p);
  }
  const fine = [
    "Password123!",
    "Test1234!",
    "Admin1234!",
    "Nueva-clave-2026",
    "preferred-Tesla",
    "nonsense!",
    "Mississippi9",
  ];
  for (const p of fine) assert.equal(isRepetitiveOrSequential(p), false, p);
});
