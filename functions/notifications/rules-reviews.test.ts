import assert from "node:assert/strict";
import type { Person, RuleContext } from "./rule-kit.ts";
import { RULES } from "./rules.ts";

const people: Record<string, Person> = {
  cli: { id: "cli", email: "ana@example.com", nombre: "Ana", apellido: "Cliente", isActive: true },
  pro: { id: "pro", email: "pablo@example.com", nombre: "Pablo", apellido: "Plomero", isActive: true },
};

function run(type: string, payload: Record<string, unknown>) {
  const ctx: RuleContext = {
    event: { id: "evt", type, aggregate_id: "agg", producer: "test", payload, created_at: "" },
    payload,
    links: { frontend: "https://app.example", passwordReset: "", emailVerification: "" },
    person: (id) => Promise.resolve(id ? people[id] : undefined),
    // The profile id "perfil-pro" belongs to the account "pro".
    professionalAccount: (id) => Promise.resolve(id === "perfil-pro" ? "pro" : undefined),
    admins: () => Promise.resolve([]),
  };
  return RULES[type](ctx);
}

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
