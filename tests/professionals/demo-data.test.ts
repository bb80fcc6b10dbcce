import assert from "node:assert/strict";
import { DEMO_COUNT, demoProfessionals } from "../../scripts/professionals/demo.ts";
import { progressLine } from "../../scripts/professionals/generate.ts";
import { solidPng } from "../../scripts/professionals/png.ts";
import { it } from "../support/env.ts";

const TRADES = ["Albañilería", "Carpintería", "Electricidad", "Plomería"];

it("demo professionals: deterministic, around Buenos Aires, with trades, rates, levels and ratings", () => {
  const pros = demoProfessionals(TRADES);
  assert.equal(pros.length, DEMO_COUNT);
  assert.deepEqual(pros, demoProfessionals(TRADES), "same list every run (idempotent seeding)");
  for (const p of pros) {
    assert.ok(
      p.lat > -35.1 && p.lat < -34.3 && p.lng > -58.8 && p.lng < -57.8,
      `${p.barrio} is around Buenos Aires`,
    );
    assert.ok(p.oficios.length >= 1 && p.oficios.every((o) => TRADES.includes(o)));
    assert.ok(p.tarifa > 0 && p.rating >= 1 && p.rating <= 5 && p.resenas > 0);
  }
  assert.ok(new Set(pros.map((p) => p.puntos)).size > 3, "several levels");
});

it("demo portfolio images are real PNGs", () => {
  const png = solidPng(4, 3, [10, 20, 30]);
  assert.deepEqual([...png.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer);
  assert.equal(new TextDecoder().decode(png.slice(12, 16)), "IHDR");
  assert.deepEqual([view.getUint32(16), view.getUint32(20)], [4, 3]);
  assert.equal(new TextDecoder().decode(png.slice(-8, -4)), "IEND");
});

it("the benchmark generator reports progress as done/total (percent) in seconds", () => {
  assert.equal(progressLine(250_000, 1_000_000, 61_400), "250000/1000000 (25 %) in 61 s");
});
