import assert from "node:assert/strict";
import { loginSchema, registerSchema } from "./schemas.ts";

const valid = { email: "  Ana.Paz@Example.COM ", password: "Password123!", nombre: "Ana", apellido: "Paz" };

Deno.test("registration trims and lower-cases the e-mail, defaults rol to CLIENTE and drops unknown fields", () => {
  const parsed = registerSchema.parse({ ...valid, telefono: "123", is_active: false });
  assert.deepEqual(parsed, {
    email: "ana.paz@example.com",
    password: "Password123!",
    nombre: "Ana",
    apellido: "Paz",
    rol: "CLIENTE",
    oficio_id: null,
  });
});

Deno.test("registration as ADMIN is refused with a readable message", () => {
  const result = registerSchema.safeParse({ ...valid, rol: "ADMIN" });
  assert.equal(result.success, false);
  assert.match(result.error!.issues[0].message, /administrador/);
  assert.equal(registerSchema.safeParse({ ...valid, rol: "SUPERUSER" }).success, false);
});

Deno.test("oficio_id is kept when it is a uuid; the frontend's fallback ids and empty values mean none", () => {
  const id = crypto.randomUUID();
  assert.equal(registerSchema.parse({ ...valid, rol: "PROFESIONAL", oficio_id: id }).oficio_id, id);
  for (const none of ["1", "10", 3, "", null, undefined]) {
    assert.equal(registerSchema.parse({ ...valid, rol: "PROFESIONAL", oficio_id: none }).oficio_id, null);
  }
});

Deno.test("any other oficio_id is refused with a message naming the field, not silently dropped", () => {
  for (
    const bad of ["plomeria", "11", "0", "1; drop table", `${crypto.randomUUID()}x`, 2.5, true, {}, [id()]]
  ) {
    const result = registerSchema.safeParse({ ...valid, rol: "PROFESIONAL", oficio_id: bad });
    assert.equal(result.success, false, JSON.stringify(bad));
    assert.deepEqual(result.error!.issues[0].path, ["oficio_id"]);
    assert.match(result.error!.issues[0].message, /oficio_id debe ser el id \(UUID\) de un oficio/);
  }
});

const id = () => crypto.randomUUID();

Deno.test("login takes the OAuth2 form's username or JSON's email, lower-cased", () => {
  assert.deepEqual(loginSchema.parse({ username: "A@Example.com", password: "x" }), {
    email: "a@example.com",
    password: "x",
  });
  assert.deepEqual(loginSchema.parse({ email: "b@example.com", password: "y", grant_type: "password" }), {
    email: "b@example.com",
    password: "y",
  });
  assert.equal(loginSchema.safeParse({ password: "y" }).success, false);
  assert.equal(loginSchema.safeParse({ username: "a@example.com" }).success, false);
  assert.equal(
    loginSchema.safeParse({ username: "a@example.com", password: "y", grant_type: "client" }).success,
    false,
  );
});
