import assert from "node:assert/strict";
import { createRouter, normalizePublicPath, ROUTE_TABLE } from "./route-table.ts";

const { resolve } = createRouter();

Deno.test("paths are accepted bare and under /api/v1, without trailing or doubled slashes", () => {
  assert.equal(normalizePublicPath("/api/v1/users/me/"), "/users/me");
  assert.equal(normalizePublicPath("/users//me"), "/users/me");
  assert.equal(normalizePublicPath("/api/v1"), "/");
  assert.equal(normalizePublicPath("/api/v10/users"), "/api/v10/users");
  assert.equal(normalizePublicPath("/"), "/");
  assert.equal(normalizePublicPath("/api/v2/users/me"), "/users/me");
  assert.equal(normalizePublicPath("/users/me"), "/users/me");
});

Deno.test("a `*` first segment is a candidate under every first segment, longest prefix first", () => {
  const { resolve } = createRouter([
    { prefix: "/*/fotos", service: "professionals" },
    { prefix: "/users", service: "users" },
    { prefix: "/users/me/fotos/extra", service: "auth" },
  ]);
  assert.equal(resolve("/users/fotos"), "professionals");
  assert.equal(resolve("/users/me"), "users");
  assert.equal(resolve("/users/me/fotos/extra"), "auth");
  assert.equal(resolve("/otra/fotos/1"), "professionals");
  assert.equal(resolve("/otra"), null);
});

Deno.test("routing is by whole segments: /chatter is not /chat", () => {
  assert.equal(resolve("/chat/my-chats"), "chat-offers");
  assert.equal(resolve("/chat"), "chat-offers");
  assert.equal(resolve("/chatter"), null);
  assert.equal(resolve("/authors"), null);
  assert.equal(resolve("/publicity"), null);
});

Deno.test("/trabajos and /trabajo/... both route, and so do their admin forms", () => {
  assert.equal(resolve("/trabajos"), "chat-offers");
  assert.equal(resolve("/trabajo/1f1c/finalizar"), "chat-offers");
  assert.equal(resolve("/admin/trabajos"), "chat-offers");
  assert.equal(resolve("/admin/trabajo/abc/simular-pago"), "payments");
  assert.equal(resolve("/api/v1/admin/trabajo/abc/simular-pago"), "payments");
  assert.equal(resolve("/admin/trabajo/abc/cancelar"), "chat-offers");
  assert.equal(resolve("/admin/trabajo/abc/simular-pago/extra"), "payments");
  assert.equal(resolve("/admin/trabajo/abc"), "chat-offers");
});

Deno.test("the longest prefix wins over shorter ones and the /admin fallback", () => {
  const cases: [string, string][] = [
    ["/api/v1/auth/login", "auth"],
    ["/reset-password", "auth"],
    ["/api/v1/verify-email", "auth"],
    ["/users/me", "users"],
    ["/users/me/change-password", "auth"],
    ["/admin/users/123/ban", "users"],
    ["/admin/metrics/users", "users"],
    ["/admin/metrics/financials", "payments"],
    ["/admin/kyc/pendientes", "professionals"],
    ["/admin/servicios-instant", "professionals"],
    ["/admin/something-else", "professionals"],
    ["/professional/me", "professionals"],
    ["/professional/ofertas", "chat-offers"],
    ["/professional/trabajos", "chat-offers"],
    ["/public/professional/1/portfolio", "professionals"],
    ["/search/professionals", "professionals"],
    ["/search", "professionals"],
    ["/cliente/ofertas/1/accept", "chat-offers"],
    ["/cliente/trabajo/1/finalizar", "chat-offers"],
    ["/cliente/trabajos", "chat-offers"],
    ["/cliente/servicios/1/contratar", "chat-offers"],
    ["/ofertas/1/accept", "chat-offers"],
    ["/professional/ofertas/1/retirar", "chat-offers"],
    ["/professional/trabajos", "chat-offers"],
    ["/chat_ofertas/trabajos/1", "chat-offers"],
    ["/webhook/chat/infraction", "chat-offers"],
    ["/chat/create", "chat-offers"],
    ["/cliente/chat/create", "chat-offers"],
    ["/admin/chat/infractions", "chat-offers"],
    ["/admin/users/1/chat-unban", "users"],
    ["/webhook/mercadopago", "payments"],
    ["/pagos/balance", "payments"],
    ["/payments/mock-checkout/1", "payments"],
    ["/notifications/fcm-token", "notifications"],
  ];
  for (const [path, service] of cases) assert.equal(resolve(path), service, path);
});

Deno.test("unknown paths resolve to nothing", () => {
  for (const path of ["/", "/nope", "/api/v1/unknown/thing", "/gamification"]) {
    assert.equal(resolve(path), null, path);
  }
});

Deno.test("the table has no duplicate prefix", () => {
  const prefixes = ROUTE_TABLE.map((r) => r.prefix);
  assert.equal(new Set(prefixes).size, prefixes.length);
});
