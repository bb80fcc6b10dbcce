import assert from "node:assert/strict";
import type { LoginCandidate } from "./credentials.ts";
import { toUserRead } from "../../shared/user-read.ts";
import { userView } from "./user-view.ts";

const row: LoginCandidate = {
  id: "8c5d3f8e-1111-4222-8333-444455556666",
  email: "pro@example.com",
  nombre: "Ana",
  apellido: "Paz",
  rol: "PROFESIONAL",
  is_active: true,
  avatar_url: null,
  infracciones_chat: 0,
  is_chat_banned: false,
  fecha_creacion: new Date("2026-01-02T03:04:05.678Z"),
  email_verificado_at: null,
  password_hash: "$scrypt$ln=17,r=8,p=1$c2FsdA$a2V5",
  password_changed_at: new Date("2026-01-02T03:04:05.678Z"),
};

Deno.test("the user view is the original's UserRead plus email_verificado, never the hash", () => {
  const view = userView(row);
  assert.deepEqual(
    Object.keys(view).sort(),
    [...Object.keys(toUserRead(row)), "email_verificado"].sort(),
  );
  assert.equal(view.es_profesional, true);
  assert.equal(view.email_verificado, false);
  assert.equal(JSON.parse(JSON.stringify(view)).fecha_creacion, "2026-01-02T03:04:05.678Z");
  assert.doesNotMatch(JSON.stringify(view), /password|scrypt/);
});
