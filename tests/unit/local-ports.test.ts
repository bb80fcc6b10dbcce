import assert from "node:assert/strict";
import { choosePort, freePort, portInUse } from "../../scripts/local/ports.ts";

Deno.test("choosePort keeps the preferred port when it is free", async () => {
  const preferred = freePort();
  assert.deepEqual(await choosePort(preferred), { port: preferred, fallback: false });
});

Deno.test("choosePort picks another free port when a TCP listener holds the preferred one", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const held = listener.addr.port;
    assert.equal(await portInUse(held), true);
    const choice = await choosePort(held);
    assert.equal(choice.fallback, true);
    assert.notEqual(choice.port, held);
    assert.equal(await portInUse(choice.port), false);
  } finally {
    listener.close();
  }
});

Deno.test("choosePort treats a listener on all interfaces as holding the port", async () => {
  const listener = Deno.listen({ hostname: "0.0.0.0", port: 0 });
  try {
    assert.equal((await choosePort(listener.addr.port)).fallback, true);
  } finally {
    listener.close();
  }
});
