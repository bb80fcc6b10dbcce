import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { createPasswordHasher, parseHash } from "./passwords.ts";

// Small cost so unit tests stay fast; the format and logic are the same at any cost.
const hasher = createPasswordHasher({ logN: 10, r: 8, p: 1 });

Deno.test("a scrypt hash carries its parameters, salt and key, and verifies the right password only", async () => {
  const stored = await hasher.hash("Correcto123!");
  assert.match(stored, /^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{86}$/);
  assert.deepEqual(parseHash(stored)?.params, { logN: 10, r: 8, p: 1 });
  assert.deepEqual(await hasher.verify(stored, "Correcto123!"), { ok: true, needsRehash: false });
  assert.deepEqual(await hasher.verify(stored, "Incorrecto123!"), { ok: false, needsRehash: false });
});

Deno.test("the same password hashes differently each time (random salt)", async () => {
  assert.notEqual(await hasher.hash("Correcto123!"), await hasher.hash("Correcto123!"));
});

Deno.test("a hash made with other parameters verifies and asks to be re-hashed", async () => {
  const older = createPasswordHasher({ logN: 11, r: 8, p: 1 });
  const stored = await older.hash("Correcto123!");
  assert.deepEqual(await hasher.verify(stored, "Correcto123!"), { ok: true, needsRehash: true });
});

Deno.test("a legacy bcrypt ($2b$) hash verifies and asks to be re-hashed", async () => {
  const legacy = bcrypt.hashSync("Legacy1234!", 4);
  assert.match(legacy, /^\$2b\$/);
  assert.deepEqual(await hasher.verify(legacy, "Legacy1234!"), { ok: true, needsRehash: true });
  assert.deepEqual(await hasher.verify(legacy, "legacy1234!"), { ok: false, needsRehash: false });
});

Deno.test("no stored hash, or a malformed one, never verifies", async () => {
  assert.deepEqual(await hasher.verify(null, "anything"), { ok: false, needsRehash: false });
  assert.deepEqual(await hasher.verify("plaintext", "plaintext"), { ok: false, needsRehash: false });
  assert.equal(parseHash("$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$" + "A".repeat(86)), null);
});

Deno.test("an unknown account costs as much as a wrong password (dummy hash at the same cost)", async () => {
  const slow = createPasswordHasher({ logN: 14, r: 8, p: 1 });
  const stored = await slow.hash("Correcto123!");
  const time = async (fn: () => Promise<unknown>) => {
    const started = performance.now();
    for (let i = 0; i < 5; i++) await fn();
    return performance.now() - started;
  };
  await time(() => slow.verify(null, "x")); // warm-up
  const wrong = await time(() => slow.verify(stored, "Incorrecto123!"));
  const unknown = await time(() => slow.verify(null, "Incorrecto123!"));
  assert.ok(
    Math.abs(wrong - unknown) < Math.max(wrong, unknown) * 0.5,
    `wrong ${wrong} ms, unknown ${unknown} ms`,
  );
});
