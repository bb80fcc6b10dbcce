import assert from "node:assert/strict";
import { applyEvent, EVENT_HANDLERS } from "../../functions/professionals/event-handlers.ts";
import { createDb } from "../../shared/db.ts";
import { PermanentEventError, receiveEvent } from "../../shared/event-receiver.ts";
import type { EventEnvelope } from "../../shared/events.ts";
import { createLogger } from "../../shared/log.ts";
import { testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import { createPro } from "./helpers.ts";
import { testPlatform } from "../support/platform.ts";

const db = createDb(testEnv().DATABASE_URL, { max: 2, appName: "levels-test" });
const log = createLogger("professionals", "error");

function envelope(
  type: string,
  payload: Record<string, unknown>,
  aggregateId = crypto.randomUUID(),
): EventEnvelope {
  return {
    id: crypto.randomUUID(),
    type,
    aggregate_id: aggregateId,
    producer: "chat-offers",
    payload,
    created_at: new Date().toISOString(),
  };
}

async function profile(id: string) {
  const [row] =
    await testSql()`select puntos_experiencia, nivel, tasa_comision_actual, rating_promedio, total_resenas
    from public.profesionales where id = ${id}`;
  return {
    puntos: row.puntos_experiencia,
    nivel: row.nivel,
    tasa: Number(row.tasa_comision_actual),
    rating: Number(row.rating_promedio),
    total: row.total_resenas,
  };
}

const receive = (event: EventEnvelope) =>
  receiveEvent(db, { consumer: "professionals", handlers: EVENT_HANDLERS, log }, event);

it("the levels table is in the database: BRONCE 0/20 %, PLATA 1000/18 %, ORO 5000/15 %, DIAMANTE 15000/10 %", async () => {
  const rows =
    await testSql()`select nivel, puntos_minimos, tasa_comision from public.niveles order by puntos_minimos`;
  assert.deepEqual(rows.map((r) => [r.nivel, r.puntos_minimos, Number(r.tasa_comision)]), [
    ["BRONCE", 0, 0.2],
    ["PLATA", 1000, 0.18],
    ["ORO", 5000, 0.15],
    ["DIAMANTE", 15000, 0.1],
  ]);
  const [at] =
    await testSql()`select (public.nivel_para_puntos(4999)).nivel as a, (public.nivel_para_puntos(5000)).nivel as b`;
  assert.deepEqual([at.a, at.b], ["PLATA", "ORO"]);
});

it("job.approved gives +100 once per event and once per job (escrow.released for the same job adds nothing)", async () => {
  const pro = await createPro();
  const trabajo = crypto.randomUUID();
  const approved = envelope("job.approved", { trabajo_id: trabajo, profesional_id: pro.id }, trabajo);
  assert.equal(await receive(approved), "processed");
  assert.equal(await receive(approved), "duplicate");
  assert.equal((await profile(pro.profesionalId)).puntos, 100);
  assert.equal(
    await receive(envelope("escrow.released", { trabajo_id: trabajo, profesional_id: pro.id })),
    "processed",
  );
  assert.equal((await profile(pro.profesionalId)).puntos, 100, "one job counts once");
  await receive(
    envelope("escrow.released", { trabajo_id: crypto.randomUUID(), profesional_id: pro.profesionalId }),
  );
  assert.equal((await profile(pro.profesionalId)).puntos, 200, "the profile id is accepted too");
  // applyEvent is idempotent on its own (without the inbox) as well.
  await db.asService((tx) => applyEvent(tx, approved));
  assert.equal((await profile(pro.profesionalId)).puntos, 200);
});

it("review.created: +50 for 5★, +10 for 4★, 0 otherwise; running rating mean; once per review", async () => {
  const pro = await createPro();
  const review = (rating: number, id = crypto.randomUUID()) =>
    envelope("review.created", { resena_id: id, profesional_id: pro.profesionalId, rating }, id);
  const five = review(5);
  await receive(five);
  await receive({ ...five, id: crypto.randomUUID() }); // same review, new event id
  let p = await profile(pro.profesionalId);
  assert.deepEqual([p.puntos, p.rating, p.total], [50, 5, 1]);
  await receive(review(4));
  await receive(review(2));
  p = await profile(pro.profesionalId);
  assert.deepEqual([p.puntos, p.rating, p.total], [60, 3.67, 3]);
  await receive(envelope("review.created", {
    resena_id: crypto.randomUUID(),
    profesional_id: pro.profesionalId,
    rating: 5,
    rating_promedio: 4.25,
    total_resenas: 4,
  }));
  p = await profile(pro.profesionalId);
  assert.deepEqual([p.puntos, p.rating, p.total], [110, 4.25, 4], "figures sent by the reviews' owner win");
});

it("review.created figures arriving out of order: the newer (more reviews) stand", async () => {
  const pro = await createPro();
  const figures = (rating: number, promedio: number, total: number) =>
    envelope("review.created", {
      resena_id: crypto.randomUUID(),
      profesional_id: pro.profesionalId,
      rating,
      rating_promedio: promedio,
      total_resenas: total,
    });
  const first = figures(5, 5, 1);
  const second = figures(1, 3, 2);
  await receive(second);
  await receive(first); // its delivery was retried, so it came last
  const p = await profile(pro.profesionalId);
  assert.deepEqual([p.rating, p.total], [3, 2]);
  assert.equal(p.puntos, 50, "each review still counts its points once");
});

it("points move the level and the commission (PLATA at 1000, ORO at 5000) and announce it", async () => {
  const pro = await createPro({ puntos: 950 });
  await receive(envelope("job.approved", { trabajo_id: crypto.randomUUID(), profesional_id: pro.id }));
  let p = await profile(pro.profesionalId);
  assert.deepEqual([p.puntos, p.nivel, p.tasa], [1050, "PLATA", 0.18]);
  await testSql()`update public.profesionales set puntos_experiencia = 4990 where id = ${pro.profesionalId}`;
  await receive(
    envelope("review.created", {
      resena_id: crypto.randomUUID(),
      profesional_id: pro.profesionalId,
      rating: 4,
    }),
  );
  p = await profile(pro.profesionalId);
  assert.deepEqual([p.puntos, p.nivel, p.tasa], [5000, "ORO", 0.15]);
  const changes = await testSql()`select payload from public.outbox
    where type = 'professional.level_changed' and aggregate_id = ${pro.profesionalId} order by created_at`;
  assert.deepEqual(changes.map((c) => [c.payload.nivel_anterior, c.payload.nivel]), [["BRONCE", "PLATA"], [
    "PLATA",
    "ORO",
  ]]);
});

it("events with a bad payload are permanent failures; an unknown professional changes nothing", async () => {
  await assert.rejects(
    receive(envelope("review.created", { profesional_id: crypto.randomUUID(), rating: 7 })),
    PermanentEventError,
  );
  await assert.rejects(receive(envelope("job.approved", { trabajo_id: "x" })), PermanentEventError);
  const result = await db.asService((tx) =>
    applyEvent(
      tx,
      envelope("job.approved", { trabajo_id: crypto.randomUUID(), profesional_id: crypto.randomUUID() }),
    )
  );
  assert.deepEqual(result, { applied: false, reason: "unknown_professional" });
  assert.equal(await receive(envelope("offer.created", {})), "ignored");
});

it("the professionals function mounts the shared event receiver: unsigned deliveries are refused", async () => {
  const { createApp } = await import("../../functions/professionals/app.ts");
  const platform = testPlatform("professionals");
  try {
    const event = envelope("job.approved", {
      trabajo_id: crypto.randomUUID(),
      profesional_id: crypto.randomUUID(),
    });
    const res = await createApp(platform).request("/professionals/events", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(event),
    });
    assert.equal(res.status, 401);
    await res.body?.cancel();
  } finally {
    await platform.close();
  }
});
