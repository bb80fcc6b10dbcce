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
    professionalAccount: () => Promise.resolve(undefined),
    admins: () => Promise.resolve([]),
  };
  return RULES[type](ctx);
}

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
