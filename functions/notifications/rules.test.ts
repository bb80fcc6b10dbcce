import assert from "node:assert/strict";
import { PermanentEventError } from "../../shared/event-receiver.ts";
import type { Person, RuleContext } from "./rule-kit.ts";
import { RULES } from "./rules.ts";

const people: Record<string, Person> = {
  cli: { id: "cli", email: "ana@example.com", nombre: "Ana", apellido: "Cliente", isActive: true },
  pro: { id: "pro", email: "pablo@example.com", nombre: "Pablo", apellido: "Plomero", isActive: true },
  adm: { id: "adm", email: "admin@example.com", nombre: "Admin", apellido: "System", isActive: true },
};

function context(type: string, payload: Record<string, unknown>): RuleContext {
  return {
    event: { id: "evt", type, aggregate_id: "agg", producer: "test", payload, created_at: "" },
    payload,
    links: {
      frontend: "https://app.example",
      passwordReset: "https://app.example/reset-password",
      emailVerification: "https://app.example/verify-email",
    },
    person: (id) => Promise.resolve(id ? people[id] : undefined),
    professionalAccount: (profileId) => Promise.resolve(profileId === "profile-pro" ? "pro" : undefined),
    admins: () => Promise.resolve([people.adm]),
  };
}
const run = (type: string, payload: Record<string, unknown>) => RULES[type](context(type, payload));

Deno.test("every event type that exists or the marketplace will emit has a rule", () => {
  const expected = [
    "user.registered",
    "password.reset_requested",
    "email.verification_requested",
    "password.changed",
    "auth.login_throttled",
    "kyc.submitted",
    "kyc.approved",
    "kyc.rejected",
    "user.banned",
    "offer.created",
    "offer.accepted",
    "offer.rejected",
    "job.paid",
    "job.started",
    "job.completed",
    "job.approved",
    "job.cancelled",
    "escrow.released",
    "payment.refunded",
    "review.created",
    "message.created",
  ];
  assert.deepEqual(expected.filter((t) => !RULES[t]), []);
});

Deno.test("offer.created tells the client, naming the professional and the price as the original did", async () => {
  const [draft] = await run("offer.created", {
    oferta_id: "o1",
    cliente_id: "cli",
    profesional_id: "pro",
    precio: 1500,
  });
  assert.equal(draft.to, "cli");
  assert.equal(draft.tipo, "OFERTA_RECIBIDA");
  assert.equal(draft.categoria, "ofertas");
  assert.equal(draft.mensaje, "Pablo Plomero te envió una oferta de $1500.00.");
  assert.deepEqual(draft.channels, ["in_app", "email", "push"]);
  assert.deepEqual(draft.data, { oferta_id: "o1" });
});

Deno.test("job.paid tells both parties; job.completed only the client; job.approved only the professional", async () => {
  const paid = await run("job.paid", {
    trabajo_id: "t1",
    cliente_id: "cli",
    profesional_id: "pro",
    monto: "2500.5",
  });
  assert.deepEqual(paid.map((d) => [d.to, d.tipo]), [["pro", "PAGO_RECIBIDO"], ["cli", "PAGO_CONFIRMADO"]]);
  assert.match(paid[0].mensaje, /Ana Cliente pagó \$2500\.50/);
  assert.deepEqual(
    (await run("job.completed", { cliente_id: "cli", profesional_id: "pro" })).map((d) => d.to),
    ["cli"],
  );
  assert.deepEqual(
    (await run("job.approved", { cliente_id: "cli", profesional_id: "pro" })).map((d) => d.to),
    ["pro"],
  );
});

Deno.test("job.approved says who approved: the client, the review deadline or a dispute's resolution", async () => {
  const text = async (accion?: string) =>
    (await run("job.approved", { cliente_id: "cli", profesional_id: "pro", ...(accion ? { accion } : {}) }))[
      0
    ]
      .mensaje;
  assert.match(await text("aprobar"), /^Ana Cliente aprobó el trabajo\./);
  assert.match(await text(), /^Ana Cliente aprobó el trabajo\./);
  assert.match(await text("aprobar_auto"), /venció sin objeciones/);
  assert.doesNotMatch(await text("aprobar_auto"), /Ana Cliente/);
  assert.match(await text("resolver_parcial"), /La disputa se resolvió/);
});

Deno.test("job.cancelled tells both parties except whoever cancelled", async () => {
  const drafts = await run("job.cancelled", {
    cliente_id: "cli",
    profesional_id: "pro",
    cancelado_por: "cli",
  });
  assert.deepEqual(drafts.map((d) => d.to), ["pro"]);
});

Deno.test("message.created tells every recipient but the sender, with the first 100 characters", async () => {
  const long = "x".repeat(150);
  const drafts = await run("message.created", {
    chat_id: "c1",
    sender_id: "pro",
    recipient_ids: ["cli", "pro"],
    preview: long,
  });
  assert.deepEqual(drafts.map((d) => d.to), ["cli"]);
  assert.equal(drafts[0].titulo, "Nuevo mensaje de Pablo Plomero");
  assert.equal(drafts[0].mensaje.length, 100);
  assert.equal(drafts[0].categoria, "mensajes");
  assert.deepEqual(drafts[0].data, { chat_id: "c1", sender_id: "pro" });
});

Deno.test("review.created finds the professional's account from the profile id", async () => {
  const [draft] = await run("review.created", {
    profesional_id: "profile-pro",
    cliente_id: "cli",
    rating: 5,
  });
  assert.equal(draft.to, "pro");
  assert.equal(draft.mensaje, "Ana Cliente te calificó con 5 estrellas.");
});

Deno.test("kyc.submitted tells the professional and every admin; kyc.rejected carries the reason", async () => {
  const submitted = await run("kyc.submitted", { profesional_id: "profile-pro" });
  assert.deepEqual(submitted.map((d) => [d.to, d.tipo]), [["pro", "KYC_EN_REVISION"], [
    "adm",
    "KYC_PENDIENTE",
  ]]);
  assert.match(submitted[1].mensaje, /Pablo Plomero envió documentos/);
  const [rejected] = await run("kyc.rejected", { profesional_id: "profile-pro", motivo: "DNI ilegible" });
  assert.match(rejected.mensaje, /^Motivo: DNI ilegible\./);
});

Deno.test("password.reset_requested is an e-mail-only, sensitive message with the reset link", async () => {
  const [draft] = await run("password.reset_requested", { user_id: "cli", token: "a b/c" });
  assert.deepEqual(draft.channels, ["email"]);
  assert.equal(draft.sensitive, true);
  assert.equal(draft.email?.action?.url, "https://app.example/reset-password?token=a%20b%2Fc");
  const [given] = await run("password.reset_requested", {
    user_id: "cli",
    reset_url: "https://x.example/r?t=1",
  });
  assert.equal(given.email?.action?.url, "https://x.example/r?t=1");
});

Deno.test("auth.login_throttled tells the owner by e-mail and in-app, with the way out (reset)", async () => {
  const [draft] = await run("auth.login_throttled", {
    user_id: "cli",
    bloqueado_hasta: "2026-03-01T15:30:00.000Z",
  });
  assert.equal(draft.to, "cli");
  assert.equal(draft.tipo, "INICIO_SESION_BLOQUEADO");
  assert.equal(draft.categoria, "cuenta");
  assert.deepEqual(draft.channels, ["in_app", "email"]);
  assert.match(draft.mensaje, /intentos fallidos/);
  assert.match(draft.mensaje, /hasta las 12:30 \(hora de Argentina\)/);
  assert.equal(draft.email?.action?.url, "https://app.example/reset-password");
  assert.match((await run("auth.login_throttled", { user_id: "cli" }))[0].mensaje, /bloqueado\. Si no/);
  assert.deepEqual(await run("auth.login_throttled", { user_id: "nobody" }), []);
});

Deno.test("password.changed links to the reset page, which asks for a new link (no frontend page needed)", async () => {
  const [draft] = await run("password.changed", { user_id: "cli" });
  assert.equal(draft.email?.action?.url, "https://app.example/reset-password");
});

Deno.test("an event without what its rule needs is a permanent failure, not a silent drop", async () => {
  await assert.rejects(run("password.reset_requested", { user_id: "cli" }), PermanentEventError);
  await assert.rejects(run("offer.created", { profesional_id: "pro" }), PermanentEventError);
});

Deno.test("an unknown recipient produces nothing", async () => {
  assert.deepEqual(await run("user.registered", { user_id: "nobody" }), []);
});
