import assert from "node:assert/strict";
import { ruleRunner } from "./rule-test-kit.ts";

const run = ruleRunner();

Deno.test("offer.withdrawn tells the client, naming the professional and the price", async () => {
  const drafts = await run("offer.withdrawn", {
    oferta_id: "o1",
    chat_id: "c1",
    cliente_id: "cli",
    profesional_id: "pro",
    precio_final: 15000,
  });
  assert.equal(drafts.length, 1);
  assert.equal(drafts[0].to, "cli");
  assert.equal(drafts[0].categoria, "ofertas");
  assert.match(drafts[0].mensaje, /^Pablo Plomero retiró la oferta de \$15000\.00 que te había enviado\.$/);
  assert.deepEqual(drafts[0].data, { oferta_id: "o1", chat_id: "c1" });
});
