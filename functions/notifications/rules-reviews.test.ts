import assert from "node:assert/strict";
import { ruleRunner } from "./rule-test-kit.ts";

// The profile id "perfil-pro" belongs to the account "pro".
const run = ruleRunner({
  professionalAccount: (id) => Promise.resolve(id === "perfil-pro" ? "pro" : undefined),
});

Deno.test("review.answered tells the client who wrote the review, naming the professional", async () => {
  const drafts = await run("review.answered", {
    resena_id: "r1",
    trabajo_id: "t1",
    cliente_id: "cli",
    profesional_id: "perfil-pro",
  });
  assert.equal(drafts.length, 1);
  assert.equal(drafts[0].to, "cli");
  assert.equal(drafts[0].categoria, "resenas");
  assert.equal(drafts[0].tipo, "RESENA_RESPONDIDA");
  assert.equal(drafts[0].mensaje, "Pablo Plomero respondió a la reseña que dejaste.");
  assert.deepEqual(drafts[0].data, { resena_id: "r1", trabajo_id: "t1" });
});

Deno.test("review.answered without a client is a permanent failure; an unknown client gets nothing", async () => {
  await assert.rejects(run("review.answered", { resena_id: "r1", profesional_id: "perfil-pro" }));
  assert.deepEqual(await run("review.answered", { resena_id: "r1", cliente_id: "nadie" }), []);
});
