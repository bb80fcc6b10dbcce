import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { createPro, firestoreDocs } from "../chat/helpers.ts";
import { createTrade } from "../professionals/helpers.ts";

/** A service published by an approved professional (row 29: owner = profile id, fixed price). */
async function published(options: { estado?: "APROBADO" | "PENDIENTE" } = {}) {
  const pro = await createPro({ nombre: "Pablo", apellido: "Plomero", estado: options.estado });
  const trade = await createTrade();
  const [service] = await testSql()`insert into public.servicios_instantaneos (nombre, descripcion, oficio_id,
      profesional_id, precio_fijo)
    values ('Destapación de cañerías', 'Con máquina', ${trade.id}, ${pro.profesionalId}, 12500) returning id`;
  return { pro, serviceId: service.id as string };
}

it("hiring a published service: the chat, an offer ACEPTADO at its price, the job and payment_url", async () => {
  const gw = await api();
  const { pro, serviceId } = await published();
  const client = await createAccount("CLIENTE", { nombre: "Ana", apellido: "Cliente" });
  const res = await gw.json("POST", `/api/v1/cliente/servicios/${serviceId}/contratar`, {
    token: client.token,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const b = res.body;
  assert.equal(b.estado, "ACEPTADO");
  assert.equal(b.descripcion, "Contratación: Destapación de cañerías");
  assert.equal(b.precio_final, 12500);
  assert.equal(b.profesional_id, pro.id);
  assert.equal(b.cliente_id, client.id);
  assert.equal(b.servicio_id, serviceId);
  assert.equal(b.oferta.id, b.id);
  assert.match(b.payment_url, new RegExp(`/payments/checkout/${b.trabajo_id}\\?`));
  assert.equal(b.mensaje, "Oferta aceptada. Procede al pago para confirmar el trabajo.");
  const [job] =
    await testSql()`select estado::text, oferta_id, servicio_instant_id, precio_final::float8 as precio,
      chat_id from public.trabajos where id = ${b.trabajo_id}`;
  assert.deepEqual(
    { ...job, chat_id: undefined },
    {
      estado: "PENDIENTE_PAGO",
      oferta_id: b.id,
      servicio_instant_id: serviceId,
      precio: 12500,
      chat_id: undefined,
    },
  );
  assert.equal(job.chat_id, b.chat_id);
  const docs = await firestoreDocs(`messages/${b.chat_id}/messages/`);
  assert.ok(docs.some((m) => m.data.type === "oferta" && m.data.oferta_id === b.id));

  // Again: the same chat (the pair's), a second job.
  const again = await gw.json("POST", `/cliente/servicios/${serviceId}/contratar`, { token: client.token });
  assert.equal(again.status, 200);
  assert.equal(again.body.chat_id, b.chat_id);
  assert.notEqual(again.body.trabajo_id, b.trabajo_id);
});

it("hiring: 404 unknown or catalog service, 400 own or unavailable professional, 403 for non-clients", async () => {
  const gw = await api();
  const client = await createAccount("CLIENTE");
  const unknown = await gw.json("POST", `/cliente/servicios/${crypto.randomUUID()}/contratar`, {
    token: client.token,
  });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.detail, "Servicio no encontrado");
  const trade = await createTrade();
  const [catalog] = await testSql()`insert into public.servicios_instantaneos (nombre, oficio_id)
    values ('Catálogo', ${trade.id}) returning id`;
  assert.equal(
    (await gw.json("POST", `/cliente/servicios/${catalog.id}/contratar`, { token: client.token })).status,
    404,
  );
  const pending = await published({ estado: "PENDIENTE" });
  const unavailable = await gw.json("POST", `/cliente/servicios/${pending.serviceId}/contratar`, {
    token: client.token,
  });
  assert.equal(unavailable.status, 400);
  const mine = await published();
  assert.equal(
    (await gw.json("POST", `/cliente/servicios/${mine.serviceId}/contratar`, { token: mine.pro.token }))
      .status,
    403,
  );
  const [{ n }] =
    await testSql()`select count(*)::int as n from public.ofertas where servicio_id = ${pending.serviceId}`;
  assert.equal(n, 0);
});
