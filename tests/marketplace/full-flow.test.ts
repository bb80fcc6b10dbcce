// The marketplace end to end, as its users go through it, only through the gateway and the
// stand-ins (Firestore, MercadoPago, QStash, e-mail): a client and a professional chat, the
// professional offers a price, the client accepts and pays on MercadoPago's checkout page, the
// professional does the work, the client approves (escrow released minus the commission of the
// professional's level) and reviews, the professional withdraws the money and an admin pays it.
import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { deal } from "../offers/helpers.ts";
import { clickPay, paymentsApi, waitFor } from "../payments/helpers.ts";
import { testCbu, violationsOf } from "../payments/payouts-helpers.ts";

const V = "/api/v1";

it("chat → offer → accept → pay on the checkout page → work → approve → review → withdraw → paid out", async () => {
  const gw = await paymentsApi();
  const d = await deal(gw, { nivel: "PLATA" }); // PLATA: 18 % commission
  await testSql()`update public.profesionales set rating_promedio = 0, total_resenas = 0
    where id = ${d.pro.profesionalId}`;

  // The professional offers a price in the chat (the frontend's chat page path).
  const offered = await gw.json("POST", `${V}/chat_ofertas/ofertas`, {
    token: d.pro.token,
    body: {
      cliente_id: d.client.id,
      chat_id: d.chatId,
      descripcion: "Instalación de termotanque con materiales incluidos",
      precio_final: 25000,
    },
  });
  assert.equal(offered.status, 201, JSON.stringify(offered.body));
  const mine = await gw.json("GET", `${V}/cliente/ofertas`, { token: d.client.token });
  const listed = mine.body.find((o: { id: string }) => o.id === offered.body.id);
  assert.equal(listed.estado, "OFERTADO");
  assert.equal(typeof listed.profesional_rating, "number");
  assert.equal(listed.precio, 25000);

  // The client accepts: a job and the link the browser opens (no token: it carries its proof).
  const accepted = await gw.json("POST", `${V}/cliente/ofertas/${offered.body.id}/accept`, {
    token: d.client.token,
  });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  assert.equal(accepted.body.estado, "ACEPTADO");
  const jobId = accepted.body.trabajo_id as string;
  const link = new URL(accepted.body.payment_url);
  const checkout = await gw.fetch(`${V}${link.pathname}${link.search}`, { redirect: "manual" });
  await checkout.body?.cancel();
  assert.equal(checkout.status, 302);
  const back = await clickPay(checkout.headers.get("location")!);
  assert.match(back.pathname, /success/);

  // MercadoPago's signed webhook reached payments: the job is paid and the money held.
  const paid = await waitFor(async () => {
    const res = await gw.json("GET", `${V}/chat_ofertas/trabajos/${jobId}`, { token: d.client.token });
    return res.body.estado === "PAGADO" ? res.body : null;
  });
  assert.equal(paid.estado_escrow, "PAGADO_EN_ESCROW");
  assert.ok(paid.mercadopago_payment_id);

  // The work, through the frontend's one job route.
  const put = (token: string, estado: string) =>
    gw.json("PUT", `${V}/chat_ofertas/trabajos/${jobId}`, { token, body: { estado } });
  assert.equal((await put(d.pro.token, "EN_PROCESO")).body.estado, "EN_PROCESO");
  assert.equal((await put(d.pro.token, "COMPLETADO")).body.estado, "COMPLETADO");
  const approved = await put(d.client.token, "APROBADO");
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.estado, "APROBADO");
  assert.equal(approved.body.estado_escrow, "LIBERADO");
  assert.equal(approved.body.comision, 4500);
  assert.equal(approved.body.monto_liberado, 20500);

  // The review moves the professional's rating, on the public profile and in search.
  const review = await gw.json("POST", `${V}/cliente/trabajo/${jobId}/resena`, {
    token: d.client.token,
    body: { rating: 5, texto_resena: "Excelente trabajo, prolijo y puntual" },
  });
  assert.equal(review.status, 201, JSON.stringify(review.body));
  assert.equal(review.body.profesional_rating_promedio, 5);
  assert.equal(review.body.profesional_total_resenas, 1);
  const profile = await waitFor(async () => {
    const res = await gw.json("GET", `${V}/public/professional/${d.pro.profesionalId}`);
    return res.body.total_resenas === 1 ? res.body : null;
  });
  assert.equal(profile.rating_promedio, 5);
  assert.equal(profile.resenas[0].comentario, "Excelente trabajo, prolijo y puntual");
  const found = await gw.json("POST", `${V}/search`, { body: { limit: 100, ordenar_por: "rating" } });
  const card = found.body.resultados.find((r: { id: string }) => r.id === d.pro.profesionalId);
  assert.equal(card?.calificacion_promedio, 5);

  // Both were told along the way.
  const tipos = async (token: string) =>
    ((await gw.json("GET", `${V}/notifications?limit=100`, { token })).body.items as { tipo: string }[])
      .map((n) => n.tipo);
  await waitFor(async () => (await tipos(d.client.token)).includes("PAGO_CONFIRMADO"));
  await waitFor(async () => {
    const got = await tipos(d.pro.token);
    return ["OFERTA_ACEPTADA", "PAGO_RECIBIDO", "TRABAJO_APROBADO", "PAGO_LIBERADO"].every((t) =>
      got.includes(t)
    );
  });

  // The professional withdraws what was released; an admin approves and pays it.
  const balance = async () => (await gw.json("GET", `${V}/pagos/balance`, { token: d.pro.token })).body;
  assert.equal((await balance()).disponible, 20500);
  const account = await gw.json("POST", `${V}/pagos/cuenta-bancaria`, {
    token: d.pro.token,
    body: { tipo_cuenta: "cbu", cbu: testCbu(), titular: "Pablo Plomero" },
  });
  assert.equal(account.status, 200, JSON.stringify(account.body));
  const withdrawal = await gw.json("POST", `${V}/pagos/retiros`, {
    token: d.pro.token,
    body: { monto: 20500 },
  });
  assert.ok([200, 201].includes(withdrawal.status), JSON.stringify(withdrawal.body));
  const admin = await createAccount("ADMIN");
  for (const step of ["aprobar", "pagar"]) {
    const res = await gw.json("POST", `${V}/admin/pagos/retiros/${withdrawal.body.id}/${step}`, {
      token: admin.token,
    });
    assert.equal(res.status, 200, `${step}: ${JSON.stringify(res.body)}`);
  }
  assert.equal((await balance()).disponible, 0);
  assert.equal((await balance()).total_ganado, 20500);

  // The ledger balances and every invariant holds for this job and these people.
  assert.deepEqual(await violationsOf([jobId, d.pro.id]), []);
  const [sums] = await testSql()`select sum(m.debe)::float8 as debe, sum(m.haber)::float8 as haber
    from public.ledger_movimientos m join public.ledger_asientos a on a.id = m.asiento_id
    where a.trabajo_id = ${jobId} or a.retiro_id = ${withdrawal.body.id}`;
  assert.equal(sums.debe, sums.haber);
});
