import assert from "node:assert/strict";
import { getSearchSchema, postSearchSchema, queryFromGet, queryFromPost, sortKey } from "./search-query.ts";

const limits = { maxLimit: 100, defaultLimit: 20 };

Deno.test("GET flavour: coverage radius, one trade, nearest first, capped limit", () => {
  const id = crypto.randomUUID();
  const q = queryFromGet(
    getSearchSchema.parse({ oficio_id: id, lat: "-34.6", lng: "-58.4", limit: "500" }),
    100,
  );
  assert.deepEqual(q.radius, { kind: "coverage" });
  assert.deepEqual(q.trade, { kind: "id", id });
  assert.deepEqual(q.point, { lat: -34.6, lng: -58.4 });
  assert.equal(q.sort, "distancia");
  assert.equal(q.limit, 100);
  assert.equal(q.withTotal, false);
});

Deno.test("GET flavour: acepta_instant accepts true/false/1/0/yes/no/on/off", () => {
  const base = { oficio_id: crypto.randomUUID(), lat: "1", lng: "1" };
  for (
    const [text, value] of [["true", true], ["FALSE", false], ["1", true], ["0", false], ["yes", true], [
      "off",
      false,
    ]]
  ) {
    assert.equal(
      getSearchSchema.parse({ ...base, acepta_instant: text }).acepta_instant,
      value,
      String(text),
    );
  }
  assert.equal(getSearchSchema.safeParse({ ...base, acepta_instant: "maybe" }).success, false);
});

Deno.test("POST flavour: client radius defaults to 10 km, only with both coordinates", () => {
  let q = queryFromPost(postSearchSchema.parse({ latitude: 1, longitude: 2 }), limits);
  assert.deepEqual(q.radius, { kind: "client", meters: 10_000 });
  q = queryFromPost(postSearchSchema.parse({ latitude: 1, longitude: 2, radio_km: 3 }), limits);
  assert.deepEqual(q.radius, { kind: "client", meters: 3_000 });
  q = queryFromPost(
    postSearchSchema.parse({ latitude: 1, longitude: 2, incluir_fuera_de_radio: true }),
    limits,
  );
  assert.deepEqual(q.radius, { kind: "none" });
  q = queryFromPost(postSearchSchema.parse({}), limits);
  assert.deepEqual([q.point, q.radius.kind, q.sort, q.limit], [null, "none", "rating", 20]);
});

Deno.test("POST flavour: disponible false is no filter, true means accepts instant; nulls and '' are absent", () => {
  assert.equal(queryFromPost(postSearchSchema.parse({ disponible: false }), limits).aceptaInstant, undefined);
  assert.equal(queryFromPost(postSearchSchema.parse({ disponible: true }), limits).aceptaInstant, true);
  assert.equal(queryFromPost(postSearchSchema.parse({ acepta_instant: false }), limits).aceptaInstant, false);
  const q = queryFromPost(
    postSearchSchema.parse({ oficio: "", latitude: null, longitude: null, q: null }),
    limits,
  );
  assert.deepEqual([q.trade.kind, q.point, q.text], ["any", null, undefined]);
});

Deno.test("POST flavour: a trade by name, by id, or a uuid sent as `oficio`", () => {
  const id = crypto.randomUUID();
  assert.deepEqual(queryFromPost(postSearchSchema.parse({ oficio: "plomería" }), limits).trade, {
    kind: "name",
    name: "plomería",
  });
  assert.deepEqual(queryFromPost(postSearchSchema.parse({ oficio_id: id }), limits).trade, {
    kind: "id",
    id,
  });
  assert.deepEqual(queryFromPost(postSearchSchema.parse({ oficio: id.toUpperCase() }), limits).trade, {
    kind: "id",
    id,
  });
});

Deno.test("sort names: aliases, unknown → default, distance needs a point", () => {
  assert.equal(sortKey("precio", true), "precio");
  assert.equal(sortKey("Rating", false), "rating");
  assert.equal(sortKey("level", true), "nivel");
  assert.equal(sortKey("distancia", false), "rating");
  assert.equal(sortKey("nonsense", true), "distancia");
  assert.equal(sortKey(undefined, false), "rating");
});

Deno.test("POST flavour: out-of-range values are refused", () => {
  for (
    const body of [
      { latitude: 1 },
      { radio_km: 600, latitude: 1, longitude: 1 },
      { limit: 0 },
      { skip: -1 },
      { rating_minimo: 5.5 },
    ]
  ) {
    assert.equal(postSearchSchema.safeParse(body).success, false, JSON.stringify(body));
  }
});
