import assert from "node:assert/strict";
import { signLink, verifyLink } from "./signed-link.ts";

const secret = "a-test-secret-that-is-long-enough-0123456789";
const path = "/payments/checkout/7d3c0b7e-2a55-4c61-9b7f-3f7a4c1d2e9a";
const now = new Date("2026-12-01T12:00:00Z");
const sign = (claims: Record<string, string>, ttlSeconds = 600) =>
  signLink(secret, { baseUrl: "http://localhost:8000/", path, claims, ttlSeconds, now });
const verify = (url: string, at = now, forPath = path) =>
  verifyLink(secret, { path: forPath, query: new URL(url).searchParams, now: at });

Deno.test("a signed link verifies with its claims until it expires", async () => {
  const url = await sign({ cliente: "u1" });
  assert.ok(url.startsWith(`http://localhost:8000${path}?`));
  assert.deepEqual(await verify(url), { cliente: "u1" });
  assert.deepEqual(await verify(url, new Date(now.getTime() + 599_000)), { cliente: "u1" });
  assert.equal(await verify(url, new Date(now.getTime() + 601_000)), null);
});

Deno.test("a link is refused when its claims, expiry, path, signature or secret differ", async () => {
  const url = new URL(await sign({ cliente: "u1" }));
  const tampered = (mutate: (u: URL) => void) => {
    const copy = new URL(url);
    mutate(copy);
    return copy.toString();
  };
  assert.equal(await verify(tampered((u) => u.searchParams.set("cliente", "u2"))), null);
  assert.equal(await verify(tampered((u) => u.searchParams.set("extra", "x"))), null);
  assert.equal(
    await verify(tampered((u) => u.searchParams.set("exp", String(Number(u.searchParams.get("exp")) + 60)))),
    null,
  );
  assert.equal(await verify(tampered((u) => u.searchParams.set("sig", "0".repeat(64)))), null);
  assert.equal(await verify(tampered((u) => u.searchParams.delete("sig"))), null);
  assert.equal(await verify(url.toString(), now, "/payments/checkout/another-job"), null);
  assert.equal(
    await verifyLink("another-secret-that-is-long-enough-0123456789", { path, query: url.searchParams, now }),
    null,
  );
});
