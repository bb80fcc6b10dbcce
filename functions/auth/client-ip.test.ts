import assert from "node:assert/strict";
import { clientIp, normalizeIp } from "./client-ip.ts";

Deno.test("the address our trusted proxy appended wins over the connection address", () => {
  assert.equal(clientIp("203.0.113.7, 10.0.0.1", "127.0.0.1"), "10.0.0.1");
  assert.equal(clientIp("203.0.113.7, 10.0.0.1", "127.0.0.1", 2), "203.0.113.7");
  assert.equal(clientIp(undefined, "127.0.0.1"), "127.0.0.1");
  assert.equal(clientIp("", "127.0.0.1"), "127.0.0.1");
});

Deno.test("entries the client wrote itself cannot choose its bucket", () => {
  // The client sent "1.1.1.1"; the gateway appended the address it really came from.
  assert.equal(clientIp("1.1.1.1, 198.51.100.9", "127.0.0.1"), "198.51.100.9");
  assert.equal(clientIp("6.6.6.6, 1.1.1.1, 198.51.100.9, 10.0.0.2", "127.0.0.1", 2), "198.51.100.9");
  // Fewer entries than trusted hops: the leftmost is the best there is.
  assert.equal(clientIp("198.51.100.9", "127.0.0.1", 2), "198.51.100.9");
});

Deno.test("addresses are normalised: ports and brackets dropped, IPv4-mapped IPv6 as IPv4", () => {
  assert.equal(normalizeIp("203.0.113.7:5050"), "203.0.113.7");
  assert.equal(normalizeIp("[2001:db8::1]:443"), "2001:db8:0:0::/64");
  assert.equal(normalizeIp("::ffff:198.51.100.4"), "198.51.100.4");
});

Deno.test("IPv6 callers share a bucket per /64", () => {
  assert.equal(normalizeIp("2001:db8:aa:bb:1::1"), normalizeIp("2001:DB8:aa:bb:ffff:ffff:ffff:ffff"));
  assert.notEqual(normalizeIp("2001:db8:aa:bb::1"), normalizeIp("2001:db8:aa:bc::1"));
});

Deno.test("garbage is not an address: such callers share one 'unknown' bucket", () => {
  for (const bad of ["not-an-ip", "999.1.1.1", "1:2:3", "1::2::3", "<script>"]) {
    assert.equal(normalizeIp(bad), null, bad);
  }
  assert.equal(clientIp("nonsense", "127.0.0.1"), "unknown");
});
