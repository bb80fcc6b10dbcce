import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { deal, job, pay } from "../offers/helpers.ts";
import { ZERO_UUID } from "../professionals/helpers.ts";
import { approvedDaysAgo, approvedJob, until } from "./helpers.ts";

// Reviews (API.md "Reviews", compatibility.md §1.3 row /cliente/trabajo/{id}/resena, §3.6, rows 25
// and 55): both create paths, the check order, one per job, the window, the answer, the listings.

const review = (gw: Awaited<ReturnType<typeof api>>, token: string, trabajoId: string, body: object) =>
  gw.json("POST", `/api/v1/cliente/trabajo/${trabajoId}/resena`, { token, body });

it("the check order: 422 rating → 404 job → 403 not the client → 400 state (names LIBERADO) → 400 duplicate", async () => {
  const gw = await api();
  const d = await deal(gw);
  const stranger = await createAccount("CLIENTE");
  const { trabajoId: unpaid } = await job(gw, d);

  // 422 before any lookup: even for a job nobody has, and a party's job in the wrong state.
  for (const bad of [{ rating: 0 }, { rating: 6 }, { rating: 4.5 }, { rating: "5" }, {}]) {
    const res = await review(gw, d.client.token, ZERO_UUID, bad);
    assert.equal(res.status, 422, JSON.stringify(bad));
  }
  assert.equal(
    (await review(gw, d.client.token, unpaid, { rating: 5, texto_resena: "x".repeat(2001) })).status,
    422,
  );
  const viaBody = await gw.json("POST", "/api/v1/resenas", {
    token: d.client.token,
    body: { trabajo_id: ZERO_UUID, rating: 9 },
  });
  assert.equal(viaBody.status, 422);

  const missing = await review(gw, d.client.token, ZERO_UUID, { rating: 5 });
  assert.deepEqual([missing.status, missing.body.detail], [404, "Trabajo no encontrado"]);
  assert.equal((await review(gw, d.client.token, "not-a-uuid", { rating: 5 })).status, 404);

  // 403 before the state: a stranger, and the job's own professional, on an unpaid job.
  for (const token of [stranger.token, d.pro.token]) {
    const res = await review(gw, token, unpaid, { rating: 5 });
    assert.deepEqual([res.status, res.body.detail], [403, "Este trabajo no te pertenece"]);
  }
  const pending = await review(gw, d.client.token, unpaid, { rating: 5 });
  assert.equal(pending.status, 400);
  assert.equal(
    pending.body.detail,
    "No se puede reseñar un trabajo en estado PENDIENTE_PAGO. Solo se pueden reseñar trabajos LIBERADOS.",
  );
  await pay(unpaid);
  const paid = await review(gw, d.client.token, unpaid, { rating: 5 });
  assert.equal(paid.status, 400);
  assert.match(paid.body.detail, /en estado PAGADO_EN_ESCROW\. Solo se pueden reseñar trabajos LIBERADOS\.$/);

  const approved = await approvedJob(gw, d);
  const first = await review(gw, d.client.token, approved, { rating: 4, texto_resena: "Muy prolijo" });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  for (
    const again of [
      () => review(gw, d.client.token, approved, { rating: 5 }),
      () =>
        gw.json("POST", "/api/v1/resenas", {
          token: d.client.token,
          body: { trabajo_id: approved, rating: 5 },
        }),
    ]
  ) {
    const res = await again();
    assert.deepEqual(
      [res.status, res.body.detail],
      [400, "Este trabajo ya tiene una reseña. No se puede calificar dos veces."],
    );
  }
  // 403 still comes before the duplicate.
  assert.equal((await review(gw, stranger.token, approved, { rating: 5 })).status, 403);
  const [{ n }] =
    await testSql()`select count(*)::int as n from public.resenas where trabajo_id = ${approved}`;
  assert.equal(n, 1);
});

it("201 ResenaCreateResponse on both paths: the review, the running mean (2 decimals) and the count", async () => {
  const gw = await api();
  const d = await deal(gw);
  const [a, b, c] = [await approvedJob(gw, d), await approvedJob(gw, d), await approvedJob(gw, d)];

  const first = await review(gw, d.client.token, a, { rating: 5, texto_resena: "Excelente trabajo" });
  assert.equal(first.status, 201);
  const r = first.body.resena;
  assert.deepEqual(
    Object.keys(r).filter((k) =>
      [
        "id",
        "trabajo_id",
        "cliente_id",
        "profesional_id",
        "rating",
        "texto_resena",
        "fecha_creacion",
        "fecha_actualizacion",
      ].includes(k)
    ).length,
    8,
  );
  assert.equal(r.trabajo_id, a);
  assert.equal(r.cliente_id, d.client.id);
  assert.equal(r.profesional_id, d.pro.profesionalId, "the profile id, as the original");
  assert.deepEqual([r.rating, r.texto_resena, r.comentario, r.respuesta], [
    5,
    "Excelente trabajo",
    "Excelente trabajo",
    null,
  ]);
  assert.equal(first.body.profesional_rating_promedio, 5);
  assert.equal(first.body.profesional_total_resenas, 1);
  assert.equal(first.body.rating_promedio, 5);
  assert.equal(first.body.total_resenas, 1);
  assert.equal(
    first.body.mensaje,
    "Reseña creada exitosamente. El profesional ahora tiene un rating de 5.0 estrellas (1 reseñas).",
  );

  const second = await gw.json("POST", "/api/v1/resenas", {
    token: d.client.token,
    body: { trabajo_id: b, rating: 4, comentario: "Bien" },
  });
  assert.equal(second.status, 201, JSON.stringify(second.body));
  assert.equal(second.body.resena.texto_resena, "Bien", "comentario is texto_resena's other name");
  assert.deepEqual([second.body.rating_promedio, second.body.total_resenas], [4.5, 2]);

  const third = await review(gw, d.client.token, c, { rating: 5 });
  assert.equal(third.body.resena.texto_resena, null);
  assert.deepEqual([third.body.profesional_rating_promedio, third.body.profesional_total_resenas], [4.67, 3]);
  assert.match(third.body.mensaje, /rating de 4\.67 estrellas \(3 reseñas\)\.$/);

  // The event professionals consumes carries the profile id and the new figures.
  const [evt] = await testSql()`select payload from public.outbox
    where type = 'review.created' and aggregate_id = ${third.body.resena.id}`;
  assert.equal(evt.payload.profesional_id, d.pro.profesionalId);
  assert.equal(evt.payload.cliente_id, d.client.id);
  assert.deepEqual([evt.payload.rating, evt.payload.rating_promedio, evt.payload.total_resenas], [
    5,
    4.67,
    3,
  ]);
});

it("concurrent reviews of one job make one review; concurrent reviews of two jobs count both", async () => {
  const gw = await api();
  const d = await deal(gw);
  const [a, b] = [await approvedJob(gw, d), await approvedJob(gw, d)];
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) => review(gw, d.client.token, a, { rating: (i % 5) + 1 })),
  );
  assert.equal(
    results.filter((r) => r.status === 201).length,
    1,
    JSON.stringify(results.map((r) => r.status)),
  );
  assert.equal(results.filter((r) => r.status === 400).length, 9);
  const [{ n }] = await testSql()`select count(*)::int as n from public.resenas where trabajo_id = ${a}`;
  assert.equal(n, 1);

  // A second job at the same time as a third: each mean counts every committed review.
  const c = await approvedJob(gw, d);
  const [x, y] = await Promise.all([
    review(gw, d.client.token, b, { rating: 2 }),
    review(gw, d.client.token, c, { rating: 3 }),
  ]);
  assert.deepEqual([x.status, y.status], [201, 201]);
  assert.deepEqual([x.body.total_resenas, y.body.total_resenas].sort(), [2, 3]);
});

it("the review window: until REVIEW_WINDOW_DAYS after the approval (configurable), then 400", async () => {
  const gw = await api({ REVIEW_WINDOW_DAYS: "3" });
  const d = await deal(gw);
  const [late, inTime] = [await approvedJob(gw, d), await approvedJob(gw, d)];
  await approvedDaysAgo(late, 4);
  await approvedDaysAgo(inTime, 2);
  const refused = await review(gw, d.client.token, late, { rating: 5 });
  assert.equal(refused.status, 400);
  assert.equal(
    refused.body.detail,
    "El plazo para reseñar este trabajo venció: se puede reseñar hasta 3 días después de su aprobación.",
  );
  assert.equal((await review(gw, d.client.token, inTime, { rating: 5 })).status, 201);
  // The default (30 days) accepts what 3 days refuses.
  const lenient = await api();
  assert.equal((await review(lenient, d.client.token, late, { rating: 4 })).status, 201);
});

it("the professional answers once; only the reviewed professional; the client is told (review.answered)", async () => {
  const gw = await api();
  const d = await deal(gw);
  const other = await deal(gw);
  const created = await review(gw, d.client.token, await approvedJob(gw, d), {
    rating: 3,
    texto_resena: "Tardó",
  });
  const id = created.body.resena.id;
  const answer = (token: string, body: object = { texto: "Perdón por la demora" }) =>
    gw.json("POST", `/api/v1/resenas/${id}/respuesta`, { token, body });

  assert.equal((await answer(d.client.token)).status, 403, "clients cannot answer (role)");
  const foreign = await answer(other.pro.token);
  assert.equal(foreign.status, 403);
  assert.equal(foreign.body.detail, "Solo el profesional reseñado puede responder esta reseña");
  assert.equal((await answer(d.pro.token, { texto: "" })).status, 422);
  assert.equal((await answer(d.pro.token, {})).status, 422);
  const missing = await gw.json("POST", `/api/v1/resenas/${ZERO_UUID}/respuesta`, {
    token: d.pro.token,
    body: { texto: "hola" },
  });
  assert.deepEqual([missing.status, missing.body.detail], [404, "Reseña no encontrada"]);

  const ok = await answer(d.pro.token);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.respuesta, "Perdón por la demora");
  assert.ok(ok.body.respuesta_at);
  const twice = await answer(d.pro.token, { respuesta: "Otra vez" });
  assert.deepEqual([twice.status, twice.body.detail], [400, "Esta reseña ya tiene una respuesta"]);
  const [row] = await testSql()`select respuesta from public.resenas where id = ${id}`;
  assert.equal(row.respuesta, "Perdón por la demora");

  await until("the client's notification", async () => {
    const res = await gw.json("GET", "/api/v1/notifications?tipo=RESENA_RESPONDIDA", {
      token: d.client.token,
    });
    return res.body?.total === 1;
  });
});

it("after review.created is delivered: the public profile, POST /search and the listings show the new rating", async () => {
  const gw = await api();
  const d = await deal(gw);
  const sql = testSql();
  // Findable by search: a trade and a location of its own.
  const [trade] = await sql`select id from public.oficios where activo order by nombre limit 1`;
  const at = { lat: -38 - Math.random(), lng: -62 - Math.random() };
  await sql`insert into public.profesional_oficios (profesional_id, oficio_id)
    values (${d.pro.profesionalId}, ${trade.id}) on conflict do nothing`;
  await sql`update public.profesionales set ubicacion =
      extensions.st_setsrid(extensions.st_makepoint(${at.lng}, ${at.lat}), 4326)::extensions.geography
    where id = ${d.pro.profesionalId}`;
  const [a, b] = [await approvedJob(gw, d), await approvedJob(gw, d)];
  await review(gw, d.client.token, a, { rating: 5, texto_resena: "Primera" });
  await new Promise((r) => setTimeout(r, 10));
  const last = await review(gw, d.client.token, b, { rating: 4, texto_resena: "Segunda" });
  assert.deepEqual([last.body.rating_promedio, last.body.total_resenas], [4.5, 2]);

  const profile = await until("the profile's new rating", async () => {
    const res = await gw.json("GET", `/api/v1/public/professional/${d.pro.profesionalId}`);
    return res.body.total_resenas === 2 && res.body.rating_promedio === 4.5 && res.body;
  });
  assert.deepEqual(profile.resenas.map((r: { texto_resena: string }) => r.texto_resena), [
    "Segunda",
    "Primera",
  ]);
  const item = profile.resenas[0];
  assert.equal(item.nombre_cliente, "Ana Cliente");
  assert.equal(item.cliente_nombre, "Ana Cliente");
  assert.equal(item.comentario, "Segunda");
  assert.equal(item.created_at, item.fecha_creacion);
  assert.ok("cliente_avatar_url" in item);
  assert.equal("cliente_id" in item, false);
  assert.equal(JSON.stringify(profile).includes(d.client.email), false);

  const found = await until("the search result's new rating", async () => {
    const res = await gw.json("POST", "/api/v1/search", {
      body: { latitude: at.lat, longitude: at.lng, oficio_id: trade.id, limit: 100 },
    });
    const mine = res.body.resultados?.find((r: { id: string }) => r.id === d.pro.profesionalId);
    return mine?.total_resenas === 2 && mine;
  });
  assert.equal(found.rating_promedio, 4.5);

  for (
    const path of [
      `/api/v1/resenas/professional/${d.pro.profesionalId}`,
      `/api/v1/public/professional/${d.pro.profesionalId}/resenas`,
    ]
  ) {
    const list = await gw.json("GET", path);
    assert.equal(list.status, 200, path);
    assert.deepEqual(list.body.map((r: { rating: number }) => r.rating), [4, 5], `${path}: newest first`);
    assert.equal("cliente_id" in list.body[0], false, path);
    assert.equal(list.body[0].nombre_cliente, "Ana Cliente", path);
  }
  // The account id works too on chat-offers' path (clients that only know it).
  assert.equal((await gw.json("GET", `/api/v1/resenas/professional/${d.pro.id}`)).body.length, 2);
  assert.equal((await gw.json("GET", `/api/v1/resenas/professional/${ZERO_UUID}`)).status, 404);

  // The professional was told (review.created) and got +50 / +10 points.
  await until("the professional's notification", async () => {
    const res = await gw.json("GET", "/api/v1/notifications?tipo=RESENA_RECIBIDA", { token: d.pro.token });
    return res.body?.total === 2;
  });

  // Hidden professionals' reviews are hidden too.
  await sql`update public.profesionales set estado_verificacion = 'RECHAZADO' where id = ${d.pro.profesionalId}`;
  const hidden = await gw.json("GET", `/api/v1/resenas/professional/${d.pro.profesionalId}`);
  assert.deepEqual([hidden.status, hidden.body.detail], [404, "Profesional no disponible"]);
  const [{ n }] = await sql`select count(*)::int as n from public.resenas_publicas(${d.pro.profesionalId})`;
  assert.equal(n, 0);
});
