import assert from "node:assert/strict";
import { channelsFor, DEFAULT_PREFERENCES } from "./preferences.ts";
import type { Person } from "./rule-kit.ts";

const active: Person = { id: "u", email: "u@example.com", nombre: "U", apellido: "V", isActive: true };
const banned: Person = { ...active, isActive: false };
const all = ["in_app", "email", "push"] as const;

Deno.test("the defaults are the original's: everything on except push for chat messages", () => {
  assert.equal(Object.values(DEFAULT_PREFERENCES).filter((v) => !v).length, 1);
  assert.equal(DEFAULT_PREFERENCES.push_mensajes, false);
  assert.deepEqual(channelsFor({ channels: [...all], categoria: "mensajes" }, DEFAULT_PREFERENCES, active), [
    "in_app",
    "email",
  ]);
});

Deno.test("turning a category's e-mail or push off drops that channel; in-app always stays", () => {
  const prefs = { ...DEFAULT_PREFERENCES, email_ofertas: false, push_ofertas: false };
  assert.deepEqual(channelsFor({ channels: [...all], categoria: "ofertas" }, prefs, active), ["in_app"]);
  assert.deepEqual(channelsFor({ channels: [...all], categoria: "pagos" }, prefs, active), [...all]);
});

Deno.test("account messages ignore preferences; a banned account only gets account e-mails", () => {
  const off = Object.fromEntries(
    Object.keys(DEFAULT_PREFERENCES).map((k) => [k, false]),
  ) as typeof DEFAULT_PREFERENCES;
  assert.deepEqual(channelsFor({ channels: [...all], categoria: "cuenta" }, off, active), [...all]);
  assert.deepEqual(channelsFor({ channels: [...all], categoria: "cuenta" }, off, banned), [
    "in_app",
    "email",
  ]);
  assert.deepEqual(channelsFor({ channels: [...all], categoria: "trabajos" }, DEFAULT_PREFERENCES, banned), [
    "in_app",
  ]);
});
