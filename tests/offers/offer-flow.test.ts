import assert from "node:assert/strict";
import { verifyLink } from "../../shared/signed-link.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { firestoreDocs, send } from "../chat/helpers.ts";
import { deal, offer, outboxTypes } from "./helpers.ts";

it("a professional offers in the chat: 201 OfertaRead superset, a card in Firestore, offer.created", async () => {
  const gw = await api();
  const d = await deal(gw);
  const o = await offer(gw, d, { precio_final: 15000.5 });
  assert.equal(o.estado, "OFERTADO");
  assert.equal(o.profesional_id, d.pro.id);
  assert.equal(o.cliente_id, d.client.id);
  assert.equal(o.chat_id, d.chatId);
  assert.equal(o.precio_final, 15000.5);
  assert.equal(o.precio, 15000.5);
  assert.equal(o.profesional_nombre, "Pablo Plomero");
  assert.equal(o.cliente_nombre, "Ana Cliente");
  assert.equal(o.profesional_rating, 4.5);
  assert.equal(typeof o.profesional_rating, "number");
  assert.equal(o.profesional_avatar_url, null);
  assert.equal(o.created_at, o.fecha_creacion);
  assert.equal(o.trabajo_id, null);
  // Default expiry: 7 days.
  const days = (Date.parse(o.fecha_expiracion) - Date.parse(o.fecha_creacion)) / 86_400_000;
  assert.ok(Math.abs(days - 7) < 0.01, `expires in ${days} days`);
  assert.deepEqual(await outboxTypes(o.id), ["offer.created"]);

  const messages = await firestoreDocs(`messages/${d.chatId}/messages/`);
  const card = messages.find((m) => m.data.oferta_id === o.id);
  assert.ok(card, "the offer card is in the chat");
  assert.equal(card.data.type, "oferta");
  assert.equal(card.data.precio_final, 15000.5);
  assert.equal(card.data.senderId, d.pro.id);

  // Each client path sees it with the same superset.
  for (
    const path of [
      "/cliente/ofertas",
      "/chat_ofertas/ofertas",
      "/ofertas",
      `/chat_ofertas/ofertas/chat/${d.chatId}`,
    ]
  ) {
    const res = await gw.json("GET", `/api/v1${path}`, { token: d.client.token });
    assert.equal(res.status, 200, path);
    assert.ok(Array.isArray(res.body), path);
    assert.deepEqual(res.body.map((x: { id: string }) => x.id), [o.id], path);
    assert.equal(res.body[0].profesional_rating, 4.5);
    assert.equal(res.headers.get("x-total-count"), "1");
  }
  const mine = await gw.json("GET", "/professional/ofertas", { token: d.pro.token });
  assert.deepEqual(mine.body.map((x: { id: string }) => x.id), [o.id]);
  assert.equal(mine.body[0].cliente_nombre, "Ana Cliente");
  const detail = await gw.json("GET", `/cliente/ofertas/${o.id}`, { token: d.client.token });
  assert.equal(detail.status, 200);
  assert.equal(detail.body.descripcion, "Cambio de canilla y revisión de pérdidas en la cocina");

  // Offer detail: 404 unknown → 403 not the addressed client (even its professional).
  assert.equal(
    (await gw.json("GET", `/cliente/ofertas/${crypto.randomUUID()}`, { token: d.client.token })).status,
    404,
  );
  const notMine = await gw.json("GET", `/cliente/ofertas/${o.id}`, { token: d.pro.token });
  assert.equal(notMine.status, 403);
  assert.equal(notMine.body.detail, "Esta oferta no te pertenece");
  // A stranger sees nothing of it in lists, and the chat's list is 404.
  const stranger = await createAccount("CLIENTE");
  assert.deepEqual((await gw.json("GET", "/ofertas", { token: stranger.token })).body, []);
  assert.equal(
    (await gw.json("GET", `/chat_ofertas/ofertas/chat/${d.chatId}`, { token: stranger.token })).status,
    404,
  );
});

it("creating an offer: every path, validation 422, not my chat 404, unknown client 404, self or wrong client 400, past expiry 400", async () => {
  const gw = await api();
  const d = await deal(gw);
  for (const path of ["/chat_ofertas/ofertas", "/ofertas"]) {
    const o = await offer(gw, d, {}, path);
    assert.equal(o.estado, "OFERTADO", path);
  }
  const base = {
    cliente_id: d.client.id,
    chat_id: d.chatId,
    descripcion: "Una descripción válida",
    precio_final: 100,
  };
  const post = (body: unknown, token = d.pro.token) =>
    gw.json("POST", "/professional/ofertas", { token, body });
  for (
    const bad of [
      { ...base, descripcion: "corta" },
      { ...base, descripcion: "x".repeat(2001) },
      { ...base, precio_final: 0 },
      { ...base, precio_final: -5 },
      { ...base, precio_final: 0.001 },
      { ...base, precio_final: 1.005 },
      // Whole cents by float arithmetic, yet numeric(12, 2) would store 0.00 (was a 500).
      { ...base, precio_final: 1e-20 },
      { ...base, precio_final: "1e-20" },
      { ...base, precio_final: "0x10" },
      { ...base, precio_final: true },
      { ...base, precio_final: [5] },
      { ...base, precio_final: "abc" },
      { ...base, precio_final: null },
      { ...base, cliente_id: "" },
      { ...base, fecha_expiracion: "mañana" },
    ]
  ) {
    const res = await post(bad);
    assert.equal(res.status, 422, JSON.stringify(bad));
    assert.equal(typeof res.body.detail, "string");
  }
  const otherPro = await deal(gw);
  const notMyChat = await post({ ...base, chat_id: otherPro.chatId });
  assert.equal(notMyChat.status, 404);
  assert.equal(notMyChat.body.detail, "Chat no encontrado");
  const wrongClient = await post({ ...base, cliente_id: otherPro.client.id });
  assert.equal(wrongClient.status, 400);
  // The monolith's texts, which its test clients assert: an unknown client, and oneself.
  const unknown = await post({ ...base, cliente_id: crypto.randomUUID() });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.detail, "Cliente no encontrado");
  const self = await post({ ...base, cliente_id: d.pro.id });
  assert.equal(self.status, 400);
  assert.match(self.body.detail, /ti mismo/);
  const past = await post({ ...base, fecha_expiracion: new Date(Date.now() - 60_000).toISOString() });
  assert.equal(past.status, 400);
  // A client cannot create offers (403 before validation).
  assert.equal((await post({}, d.client.token)).status, 403);
  const custom = await post({ ...base, fecha_expiracion: new Date(Date.now() + 3_600_000).toISOString() });
  assert.equal(custom.status, 201);
  // A numeric string, as a form sends it, is a price (the original's model took it too).
  const typed = await post({ ...base, precio_final: "150.50" });
  assert.equal(typed.status, 201, JSON.stringify(typed.body));
  assert.equal(typed.body.precio_final, 150.5);
  // Masking contact details lengthens the text: past the limit it is a clear 422, never a 500.
  const long = await post({ ...base, descripcion: `${"x".repeat(1990)} @ab cd` });
  assert.equal(long.status, 422, JSON.stringify(long.body));
  assert.match(long.body.detail, /datos de contacto ocultos/);
  const [{ n }] = await testSql()`select count(*)::int as n from public.ofertas where chat_id = ${d.chatId}
    and char_length(descripcion) > 1900`;
  assert.equal(n, 0);
});

it("accept: C2 superset with trabajo_id and a signed payment_url; the job PENDIENTE_PAGO; second answer 400", async () => {
  const gw = await api();
  const d = await deal(gw);
  const o = await offer(gw, d, { precio_final: 8000 });
  const res = await gw.json("POST", `/api/v1/cliente/ofertas/${o.id}/accept`, { token: d.client.token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const b = res.body;
  // Flat OfertaRead keys (test_e2e_modulo_4) and the nested monolith shape (T6, FE).
  assert.equal(b.id, o.id);
  assert.equal(b.estado, "ACEPTADO");
  assert.equal(b.precio_final, 8000);
  assert.equal(b.descripcion, o.descripcion);
  assert.equal(b.profesional_id, d.pro.id);
  assert.equal(b.cliente_id, d.client.id);
  assert.equal(b.oferta.id, o.id);
  assert.equal(b.oferta.estado, "ACEPTADO");
  assert.equal(b.mensaje, "Oferta aceptada. Procede al pago para confirmar el trabajo.");
  assert.equal(b.payment_preference_id, null);
  assert.equal(b.trabajo_id, b.oferta.trabajo_id);
  const url = new URL(b.payment_url);
  assert.equal(url.pathname, `/payments/checkout/${b.trabajo_id}`);
  const claims = await verifyLink(testEnv().CHECKOUT_LINK_SECRET, {
    path: url.pathname,
    query: url.searchParams,
  });
  assert.deepEqual(claims, { cliente: d.client.id });

  const [job] =
    await testSql()`select estado::text, estado_escrow::text, oferta_id, cliente_id, profesional_id,
      precio_final::float8 as precio, chat_id, descripcion from public.trabajos where id = ${b.trabajo_id}`;
  assert.deepEqual(job, {
    estado: "PENDIENTE_PAGO",
    estado_escrow: "PENDIENTE_PAGO",
    oferta_id: o.id,
    cliente_id: d.client.id,
    profesional_id: d.pro.id,
    precio: 8000,
    chat_id: d.chatId,
    descripcion: o.descripcion,
  });
  assert.deepEqual(await outboxTypes(o.id), ["offer.created", "offer.accepted"]);
  const [event] =
    await testSql()`select payload from public.outbox where aggregate_id = ${o.id} and type = 'offer.accepted'`;
  assert.equal(event.payload.trabajo_id, b.trabajo_id);
  assert.equal(event.payload.profesional_id, d.pro.id);

  for (
    const [method, path, verb] of [
      ["POST", `/cliente/ofertas/${o.id}/accept`, "aceptar"],
      ["PUT", `/chat_ofertas/ofertas/${o.id}/accept`, "aceptar"],
      ["PUT", `/ofertas/${o.id}/accept`, "aceptar"],
      ["POST", `/cliente/ofertas/${o.id}/reject`, "rechazar"],
      ["POST", `/ofertas/${o.id}/reject`, "rechazar"],
    ]
  ) {
    const again = await gw.json(method, path, { token: d.client.token });
    assert.equal(again.status, 400, path);
    assert.equal(again.body.detail, `No se puede ${verb} una oferta en estado ACEPTADO`);
  }
  const [{ n }] = await testSql()`select count(*)::int as n from public.trabajos where oferta_id = ${o.id}`;
  assert.equal(n, 1);
});

it("accept check order: 404 unknown → 403 not the client (pro included) → 400 state; expired → 400 EXPIRADO", async () => {
  const gw = await api();
  const d = await deal(gw);
  const o = await offer(gw, d);
  const unknown = await gw.json("POST", `/cliente/ofertas/${crypto.randomUUID()}/accept`, {
    token: d.client.token,
  });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.detail, "Oferta no encontrada");
  assert.equal((await gw.json("POST", "/cliente/ofertas/abc/accept", { token: d.client.token })).status, 404);
  for (const who of [d.pro, await createAccount("CLIENTE")]) {
    const res = await gw.json("POST", `/cliente/ofertas/${o.id}/accept`, { token: who.token });
    assert.equal(res.status, 403);
    assert.equal(res.body.detail, "Esta oferta no te pertenece");
  }
  // Past its time (before any sweep): never accepted, and reads show EXPIRADO.
  await testSql()`update public.ofertas set fecha_expiracion = now() - interval '1 minute' where id = ${o.id}`;
  const late = await gw.json("PUT", `/chat_ofertas/ofertas/${o.id}/accept`, { token: d.client.token });
  assert.equal(late.status, 400);
  assert.equal(late.body.detail, "No se puede aceptar una oferta en estado EXPIRADO");
  const read = await gw.json("GET", `/cliente/ofertas/${o.id}`, { token: d.client.token });
  assert.equal(read.body.estado, "EXPIRADO");
  const [{ n }] = await testSql()`select count(*)::int as n from public.trabajos where oferta_id = ${o.id}`;
  assert.equal(n, 0);
});

it("reject and withdraw: RECHAZADO / RETIRADO with their events; only the right party; then terminal", async () => {
  const gw = await api();
  const d = await deal(gw);
  const a = await offer(gw, d);
  const rejected = await gw.json("POST", `/chat_ofertas/ofertas/${a.id}/reject`, { token: d.client.token });
  assert.equal(rejected.status, 200);
  assert.equal(rejected.body.estado, "RECHAZADO");
  assert.ok(rejected.body.fecha_respuesta);
  assert.deepEqual(await outboxTypes(a.id), ["offer.created", "offer.rejected"]);

  const b = await offer(gw, d);
  const byClient = await gw.json("POST", `/professional/ofertas/${b.id}/retirar`, { token: d.client.token });
  assert.equal(byClient.status, 403); // role
  const otherPro = await deal(gw);
  const byOther = await gw.json("DELETE", `/chat_ofertas/ofertas/${b.id}`, { token: otherPro.pro.token });
  assert.equal(byOther.status, 403);
  const withdrawn = await gw.json("DELETE", `/chat_ofertas/ofertas/${b.id}`, { token: d.pro.token });
  assert.equal(withdrawn.status, 200);
  assert.equal(withdrawn.body.estado, "RETIRADO");
  assert.deepEqual(await outboxTypes(b.id), ["offer.created", "offer.withdrawn"]);
  const again = await gw.json("POST", `/professional/ofertas/${b.id}/retirar`, { token: d.pro.token });
  assert.equal(again.status, 400);
  assert.equal(again.body.detail, "No se puede retirar una oferta en estado RETIRADO");
  const accept = await gw.json("POST", `/cliente/ofertas/${b.id}/accept`, { token: d.client.token });
  assert.equal(accept.body.detail, "No se puede aceptar una oferta en estado RETIRADO");
});

it("50 concurrent accepts of one offer make exactly one job; the others answer 400 ACEPTADO", async () => {
  const gw = await api();
  const d = await deal(gw);
  const o = await offer(gw, d);
  const results = await Promise.all(
    Array.from(
      { length: 50 },
      () => gw.json("POST", `/cliente/ofertas/${o.id}/accept`, { token: d.client.token }),
    ),
  );
  const ok = results.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, JSON.stringify(results.map((r) => r.status)));
  for (const r of results.filter((r) => r.status !== 200)) {
    assert.equal(r.status, 400);
    assert.equal(r.body.detail, "No se puede aceptar una oferta en estado ACEPTADO");
  }
  const [{ n }] = await testSql()`select count(*)::int as n from public.trabajos where oferta_id = ${o.id}`;
  assert.equal(n, 1);
  const events = await outboxTypes(o.id);
  assert.equal(events.filter((t) => t === "offer.accepted").length, 1);
});

it("contact details pass in the chat once a job between the two is paid, not before", async () => {
  const gw = await api();
  const d = await deal(gw);
  const { job, pay } = await import("./helpers.ts");
  const { trabajoId } = await job(gw, d);
  const before = await send(gw, d.client.token, d.chatId, "mi número es 11 5555-4444");
  assert.equal(before.body.censored, true);
  await pay(trabajoId);
  const after = await send(gw, d.client.token, d.chatId, "mi número es 11 5555-4444");
  assert.equal(after.status, 201);
  assert.equal(after.body.censored, false);
  assert.equal(after.body.text, "mi número es 11 5555-4444");
});
