import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { file } from "../professionals/helpers.ts";
import { firestoreDoc } from "../chat/helpers.ts";
import { deal, job, jobRow, outboxTypes, pay } from "../offers/helpers.ts";
import { invariantViolations } from "../support/invariants.ts";

// Payment goes through payments' SQL interface (trabajo_marcar_pagado + escrow_retener), what an
// approved MercadoPago payment does; the checkout/webhook path is payments' own tests.

async function until<T>(what: string, fn: () => Promise<T | null | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = await fn();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it("the job from accept to approval: PAGADO → EN_PROCESO → COMPLETADO → APROBADO, released at the PLATA rate", async () => {
  const gw = await api();
  const d = await deal(gw, { nivel: "PLATA" });
  const { trabajoId } = await job(gw, d, 10000);

  const unpaid = await gw.json("GET", `/api/v1/chat_ofertas/trabajos/${trabajoId}`, {
    token: d.client.token,
  });
  assert.equal(unpaid.status, 200);
  assert.equal(unpaid.body.estado, "PENDIENTE_PAGO");
  assert.match(unpaid.body.payment_url, new RegExp(`/payments/checkout/${trabajoId}\\?`));
  const proView = await gw.json("GET", `/trabajos/${trabajoId}`, { token: d.pro.token });
  assert.equal(proView.body.payment_url, null, "only the client gets the checkout link");

  await pay(trabajoId);
  // job.paid reaches chat-offers: a system message in the chat, the chat linked to the job.
  const system = await until(
    "the payment message",
    () => firestoreDoc(`messages/${d.chatId}/messages/pago-${trabajoId}`),
  );
  assert.equal(system.data.type, "system");
  assert.match(system.data.text, /^Pago confirmado/);
  assert.equal((await firestoreDoc(`chats/${d.chatId}`))!.data.trabajoId, trabajoId);

  const put = (estado: string, token: string, extra: Record<string, unknown> = {}) =>
    gw.json("PUT", `/api/v1/chat_ofertas/trabajos/${trabajoId}`, { token, body: { estado, ...extra } });
  const started = await put("EN_PROCESO", d.pro.token, { notas_profesional: "Arranco el lunes" });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  assert.equal(started.body.estado, "EN_PROCESO");
  assert.equal(started.body.estado_escrow, "PAGADO_EN_ESCROW");
  assert.ok(started.body.fecha_inicio);
  assert.equal(started.body.notas_profesional, "Arranco el lunes");
  const done = await put("COMPLETADO", d.pro.token, { imagenes: ["https://example.com/final.jpg"] });
  assert.equal(done.status, 200);
  assert.ok(done.body.fecha_fin);
  assert.deepEqual(done.body.imagenes, ["https://example.com/final.jpg"]);
  const approved = await put("APROBADO", d.client.token, { notas_cliente: "Excelente" });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.estado, "APROBADO");
  assert.equal(approved.body.estado_escrow, "LIBERADO");
  assert.equal(approved.body.monto_liberado, 8200);
  assert.equal(approved.body.comision, 1800);
  assert.equal(approved.body.comision_plataforma, 1800);
  assert.equal(approved.body.notas_cliente, "Excelente");
  assert.ok(approved.body.fecha_aprobacion);

  const types = await outboxTypes(trabajoId);
  for (const t of ["job.paid", "job.started", "job.completed", "escrow.released", "job.approved"]) {
    assert.ok(types.includes(t), `${t} in ${types}`);
  }
  const [evt] =
    await testSql()`select payload from public.outbox where aggregate_id = ${trabajoId} and type = 'job.approved'`;
  assert.equal(evt.payload.profesional_id, d.pro.id);
  assert.equal(evt.payload.trabajo_id, trabajoId);
  // The professionals' handler gives +100 points for it.
  await until("the points", async () => {
    const [p] =
      await testSql()`select puntos_experiencia from public.profesionales where id = ${d.pro.profesionalId}`;
    return p.puntos_experiencia >= 100;
  });

  const timeline = await gw.json("GET", `/chat_ofertas/trabajos/${trabajoId}/timeline`, {
    token: d.client.token,
  });
  assert.equal(timeline.status, 200);
  assert.deepEqual(
    timeline.body.map((e: { tipo: string; estado_nuevo: string }) => `${e.tipo}:${e.estado_nuevo}`),
    [
      "ESTADO_CAMBIO:PENDIENTE_PAGO",
      "PAGO:PAGADO",
      "ESTADO_CAMBIO:EN_PROCESO",
      "ESTADO_CAMBIO:COMPLETADO",
      "ESTADO_CAMBIO:APROBADO",
    ],
  );
  assert.equal(timeline.body[2].usuario_id, d.pro.id);
  assert.equal(timeline.body[2].usuario_nombre, "Pablo Plomero");
  assert.equal(timeline.body[1].usuario_id, null);
});

it("finalizar (monolith) from PAGADO: TrabajoFinalizarResponse with monto_liberado and comision (BRONCE 20 %)", async () => {
  const gw = await api();
  const d = await deal(gw);
  const { trabajoId } = await job(gw, d, 1000);
  const early = await gw.json("POST", `/cliente/trabajo/${trabajoId}/finalizar`, { token: d.client.token });
  assert.equal(early.status, 400);
  assert.equal(
    early.body.detail,
    "No se puede finalizar un trabajo en estado PENDIENTE_PAGO. El trabajo debe estar en estado PAGADO_EN_ESCROW.",
  );
  await pay(trabajoId);
  const res = await gw.json("POST", `/api/v1/cliente/trabajo/${trabajoId}/finalizar`, {
    token: d.client.token,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.monto_liberado, 800);
  assert.equal(res.body.comision, 200);
  assert.equal(res.body.trabajo.estado_escrow, "LIBERADO");
  assert.equal(res.body.trabajo.estado, "APROBADO");
  assert.equal(res.body.trabajo.monto_liberado, 800);
  assert.equal(res.body.mensaje, "Trabajo finalizado exitosamente. Se liberaron $800.00 al profesional.");
  assert.equal(typeof res.body.payout_id, "string");
});

it("reads: lists on every path (bare arrays, numbers as numbers), client detail 404 → 403, admin sees all", async () => {
  const gw = await api();
  const d = await deal(gw);
  const { trabajoId, ofertaId } = await job(gw, d, 2500);
  for (
    const [path, token] of [
      ["/cliente/trabajos", d.client.token],
      ["/chat_ofertas/trabajos", d.client.token],
      ["/trabajos", d.pro.token],
      ["/professional/trabajos", d.pro.token],
    ] as const
  ) {
    const res = await gw.json("GET", `/api/v1${path}`, { token });
    assert.equal(res.status, 200, path);
    assert.ok(Array.isArray(res.body));
    assert.equal(res.body.length, 1, path);
    const t = res.body[0];
    assert.equal(t.id, trabajoId);
    assert.equal(t.oferta_id, ofertaId);
    assert.equal(t.precio_final, 2500);
    assert.equal(t.estado, "PENDIENTE_PAGO");
    assert.equal(t.estado_escrow, "PENDIENTE_PAGO");
    assert.equal(t.cliente_nombre, "Ana Cliente");
    assert.equal(t.profesional_nombre, "Pablo Plomero");
    assert.deepEqual(t.imagenes, []);
    assert.equal(t.created_at, t.fecha_creacion);
  }
  const paged = await gw.json("GET", "/chat_ofertas/trabajos?page=2&limit=1", { token: d.client.token });
  assert.deepEqual(paged.body, []);
  assert.equal(paged.headers.get("x-total-count"), "1");

  const detail = await gw.json("GET", `/cliente/trabajo/${trabajoId}`, { token: d.client.token });
  assert.equal(detail.status, 200);
  assert.equal(
    (await gw.json("GET", `/cliente/trabajo/${crypto.randomUUID()}`, { token: d.client.token })).status,
    404,
  );
  const proAsClient = await gw.json("GET", `/cliente/trabajo/${trabajoId}`, { token: d.pro.token });
  assert.equal(proAsClient.status, 403);
  assert.equal(proAsClient.body.detail, "Este trabajo no te pertenece");
  const stranger = await createAccount("CLIENTE");
  assert.equal(
    (await gw.json("GET", `/chat_ofertas/trabajos/${trabajoId}`, { token: stranger.token })).status,
    404,
  );
  assert.deepEqual((await gw.json("GET", "/trabajos", { token: stranger.token })).body, []);

  const admin = await createAccount("ADMIN");
  const all = await gw.json("GET", "/admin/trabajos?limit=100", { token: admin.token });
  assert.equal(all.status, 200);
  const mine = all.body.find((t: { id: string }) => t.id === trabajoId);
  assert.ok(mine);
  assert.equal(mine.precio_final, 2500);
  assert.equal(mine.cliente_nombre, "Ana Cliente");
  assert.equal((await gw.json("GET", `/trabajos/${trabajoId}`, { token: admin.token })).status, 200);
  assert.equal((await gw.json("GET", "/admin/trabajos", { token: d.client.token })).status, 403);
});

it("cancel: FE path unpaid without refund, paid with a refund request; monolith and admin paths need payment", async () => {
  const gw = await api();
  const d = await deal(gw);
  const unpaid = await job(gw, d);
  const mono = await gw.json("POST", `/cliente/trabajo/${unpaid.trabajoId}/cancelar`, {
    token: d.client.token,
  });
  assert.equal(mono.status, 400);
  assert.equal(
    mono.body.detail,
    "No se puede cancelar un trabajo en estado PENDIENTE_PAGO. Solo se pueden cancelar trabajos en estado PAGADO_EN_ESCROW.",
  );
  const fe = await gw.json("POST", `/chat_ofertas/trabajos/${unpaid.trabajoId}/cancelar`, {
    token: d.pro.token,
    body: { motivo: "El cliente no responde" },
  });
  assert.equal(fe.status, 200, JSON.stringify(fe.body));
  assert.equal(fe.body.trabajo.estado, "CANCELADO");
  assert.equal(fe.body.trabajo.estado_escrow, "CANCELADO_REEMBOLSADO");
  assert.equal(fe.body.refund_id, null);
  assert.equal(fe.body.trabajo.motivo_cancelacion, "El cliente no responde");
  const broken = await invariantViolations(testSql(), { refs: [unpaid.trabajoId] });
  assert.deepEqual(
    broken.filter((v) => v.invariante === "one-applied-payment"),
    [],
    "cancelled unpaid: no payment applied, as it should be",
  );
  const [cancelled] = await testSql()`select payload from public.outbox
    where aggregate_id = ${unpaid.trabajoId} and type = 'job.cancelled'`;
  assert.equal(cancelled.payload.cancelado_por, d.pro.id);
  assert.equal(cancelled.payload.motivo, "El cliente no responde");

  const paid = await job(gw, d, 3000);
  await pay(paid.trabajoId);
  const refunded = await gw.json("POST", `/api/v1/cliente/trabajo/${paid.trabajoId}/cancelar`, {
    token: d.client.token,
  });
  assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
  assert.equal(refunded.body.trabajo.estado_escrow, "CANCELADO_REEMBOLSADO");
  assert.equal(refunded.body.trabajo.comision_plataforma, 0);
  assert.equal(refunded.body.trabajo.monto_liberado, 0);
  assert.equal(refunded.body.mensaje, "Trabajo cancelado. Se reembolsarán $3000.00 a tu cuenta.");
  const [refund] = await testSql()`select id, monto::float8 as monto, estado from public.reembolsos
    where trabajo_id = ${paid.trabajoId}`;
  assert.equal(refund.id, refunded.body.refund_id);
  assert.equal(refund.monto, 3000);
  assert.ok((await outboxTypes(paid.trabajoId)).includes("refund.requested"));

  const admin = await createAccount("ADMIN");
  const byAdmin = await job(gw, d, 4000);
  const adminEarly = await gw.json("POST", `/admin/trabajo/${byAdmin.trabajoId}/cancelar`, {
    token: admin.token,
  });
  assert.equal(adminEarly.status, 400);
  await pay(byAdmin.trabajoId);
  const adminRes = await gw.json("POST", `/api/v1/admin/trabajo/${byAdmin.trabajoId}/cancelar`, {
    token: admin.token,
  });
  assert.equal(adminRes.status, 200, JSON.stringify(adminRes.body));
  assert.equal(adminRes.body.mensaje, "Trabajo cancelado. Se reembolsarán $4000.00 al cliente.");
  assert.equal(
    (await gw.json("POST", `/admin/trabajo/${crypto.randomUUID()}/cancelar`, { token: admin.token })).status,
    404,
  );
});

it("comments and images on the timeline by either party; strangers 403, bad files 400", async () => {
  const gw = await api();
  const d = await deal(gw);
  const { trabajoId } = await job(gw, d);
  const comment = await gw.json("POST", `/chat_ofertas/trabajos/${trabajoId}/comentarios`, {
    token: d.client.token,
    body: { texto: "¿Podés traer los repuestos?" },
  });
  assert.equal(comment.status, 201, JSON.stringify(comment.body));
  assert.equal(comment.body.tipo, "COMENTARIO");
  assert.equal(comment.body.usuario_nombre, "Ana Cliente");
  const empty = await gw.json("POST", `/chat_ofertas/trabajos/${trabajoId}/comentarios`, {
    token: d.client.token,
    body: { texto: "  " },
  });
  assert.equal(empty.status, 422);

  const form = new FormData();
  form.append("file", file("avance.png"));
  const upload = await gw.fetch(`/api/v1/chat_ofertas/trabajos/${trabajoId}/imagenes`, {
    method: "POST",
    headers: { authorization: `Bearer ${d.pro.token}` },
    body: form,
  });
  const uploaded = await upload.json();
  assert.equal(upload.status, 201, JSON.stringify(uploaded));
  assert.match(uploaded.url, /^https?:\/\/.+\/trabajos\/.+\.png$/);
  assert.deepEqual(uploaded.imagenes, [uploaded.url]);
  assert.equal(uploaded.evento.tipo, "IMAGEN");
  const served = await fetch(uploaded.url);
  assert.equal(served.status, 200);
  await served.body?.cancel();

  const bad = new FormData();
  bad.append("file", file("script.exe"));
  const refused = await gw.fetch(`/chat_ofertas/trabajos/${trabajoId}/imagenes`, {
    method: "POST",
    headers: { authorization: `Bearer ${d.pro.token}` },
    body: bad,
  });
  assert.equal(refused.status, 400);
  await refused.body?.cancel();

  const stranger = await createAccount("CLIENTE");
  const foreign = await gw.json("POST", `/chat_ofertas/trabajos/${trabajoId}/comentarios`, {
    token: stranger.token,
    body: { texto: "hola" },
  });
  assert.equal(foreign.status, 403);
  const timeline = await gw.json("GET", `/chat_ofertas/trabajos/${trabajoId}/timeline`, {
    token: d.pro.token,
  });
  assert.deepEqual(timeline.body.map((e: { tipo: string }) => e.tipo), [
    "ESTADO_CAMBIO",
    "COMENTARIO",
    "IMAGEN",
  ]);
  assert.equal(
    (await gw.json("GET", `/chat_ofertas/trabajos/${trabajoId}/timeline`, { token: stranger.token })).status,
    404,
  );
  const row = await jobRow(trabajoId);
  assert.equal(row.estado, "PENDIENTE_PAGO");
});
