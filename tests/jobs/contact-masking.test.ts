// Contact details one party writes for the other on a job (a timeline comment, a cancellation's
// reason) are masked as in chat until the job is paid (functions/chat-offers/chat-messages.ts).

import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { deal, job, pay } from "../offers/helpers.ts";

it("until the job is paid, a comment or a cancellation's reason hides contact details, as chat does; once paid they pass", async () => {
  const gw = await api();
  const d = await deal(gw);
  const leak = "Llamame al 11 5555-4444 o escribime a juan.perez@example.com";
  const hidden = (text: string) =>
    !/5555|juan\.perez@example/.test(text) && text.includes("[dato de contacto oculto]");

  const unpaid = await job(gw, d);
  const comment = await gw.json("POST", `/chat_ofertas/trabajos/${unpaid.trabajoId}/comentarios`, {
    token: d.pro.token,
    body: { texto: leak },
  });
  assert.equal(comment.status, 201, JSON.stringify(comment.body));
  assert.ok(hidden(comment.body.descripcion), comment.body.descripcion);
  const timeline = await gw.json("GET", `/chat_ofertas/trabajos/${unpaid.trabajoId}/timeline`, {
    token: d.client.token,
  });
  assert.ok(timeline.body.every((e: { descripcion: string }) => !e.descripcion.includes("5555")));
  const cancelled = await gw.json("POST", `/chat_ofertas/trabajos/${unpaid.trabajoId}/cancelar`, {
    token: d.client.token,
    body: { motivo: leak },
  });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  assert.ok(hidden(cancelled.body.trabajo.motivo_cancelacion), cancelled.body.trabajo.motivo_cancelacion);
  const [event] = await testSql()`select payload from public.outbox
    where aggregate_id = ${unpaid.trabajoId} and type = 'job.cancelled'`;
  assert.ok(!JSON.stringify(event.payload).includes("5555"), "nor in what the notification says");

  const paid = await job(gw, d);
  await pay(paid.trabajoId);
  const after = await gw.json("POST", `/chat_ofertas/trabajos/${paid.trabajoId}/comentarios`, {
    token: d.pro.token,
    body: { texto: leak },
  });
  assert.equal(after.status, 201);
  assert.equal(after.body.descripcion, leak);
});

it("a chat-banned party cannot comment on the job either (403, nothing written); the other party can, and both still read it", async () => {
  const gw = await api();
  const d = await deal(gw);
  const open = await job(gw, d);
  await testSql()`update public.usuarios set is_chat_banned = true where id = ${d.pro.id}`;
  const refused = await gw.json("POST", `/chat_ofertas/trabajos/${open.trabajoId}/comentarios`, {
    token: d.pro.token,
    body: { texto: "Paso mañana a las 9" },
  });
  assert.equal(refused.status, 403);
  assert.match(refused.body.detail, /chat bloqueado/);
  const [{ n }] = await testSql()`select count(*)::int as n from public.trabajo_eventos
    where trabajo_id = ${open.trabajoId} and tipo = 'COMENTARIO'`;
  assert.equal(n, 0);
  const client = await gw.json("POST", `/chat_ofertas/trabajos/${open.trabajoId}/comentarios`, {
    token: d.client.token,
    body: { texto: "Te espero mañana" },
  });
  assert.equal(client.status, 201);
  const read = await gw.json("GET", `/chat_ofertas/trabajos/${open.trabajoId}/timeline`, {
    token: d.pro.token,
  });
  assert.equal(read.status, 200);
  // Not a party: 404 before the ban is even looked at.
  const stranger = await gw.json("POST", `/chat_ofertas/trabajos/${crypto.randomUUID()}/comentarios`, {
    token: d.pro.token,
    body: { texto: "Paso mañana a las 9" },
  });
  assert.equal(stranger.status, 404);
});
