import assert from "node:assert/strict";
import { changesFromCombined, combinedUpdateSchema, serviceSettingsSchema } from "./profile-update.ts";

const parse = (body: unknown) => combinedUpdateSchema.parse(body);

Deno.test("PUT /professional/me: trades come as oficio_ids, oficios_ids, or the frontend's nested object", () => {
  const id = crypto.randomUUID();
  assert.deepEqual(changesFromCombined(parse({ oficio_ids: [id] })).tradeIds, [id]);
  assert.deepEqual(changesFromCombined(parse({ oficios_ids: [id] })).tradeIds, [id]);
  assert.deepEqual(changesFromCombined(parse({ oficios_ids: { oficio_ids: [id] } })).tradeIds, [id]);
  assert.equal(changesFromCombined(parse({})).tradeIds, undefined);
});

Deno.test("PUT /professional/me: any of the three coordinate spellings, as a pair", () => {
  for (
    const [lat, lng] of [["latitude", "longitude"], ["latitud", "longitud"], [
      "ubicacion_lat",
      "ubicacion_lon",
    ]]
  ) {
    const changes = changesFromCombined(parse({ [lat]: -34.6, [lng]: -58.4 }));
    assert.deepEqual(changes.location, { latitude: -34.6, longitude: -58.4 });
  }
  assert.equal(changesFromCombined(parse({ latitude: null, longitude: null })).location, undefined);
  assert.equal(combinedUpdateSchema.safeParse({ latitude: -34.6 }).success, false);
  assert.equal(combinedUpdateSchema.safeParse({ ubicacion_lon: 10 }).success, false);
});

Deno.test("PUT /professional/me ignores the profile form's extra keys and keeps the settings' limits", () => {
  const changes = changesFromCombined(
    parse({ biografia: "x", experiencia_anos: 3, tarifa_por_hora: "1500.50" }),
  );
  assert.deepEqual(changes.settings, {
    radio_cobertura_km: undefined,
    acepta_instant: undefined,
    tarifa_por_hora: 1500.5,
  });
  assert.equal(combinedUpdateSchema.safeParse({ radio_cobertura_km: 0 }).success, false);
  assert.equal(combinedUpdateSchema.safeParse({ payout_account: "" }).success, false);
});

Deno.test("service settings: null clears the rate; radius and instant cannot be null", () => {
  assert.deepEqual(serviceSettingsSchema.parse({ tarifa_por_hora: null }), { tarifa_por_hora: null });
  assert.equal(serviceSettingsSchema.safeParse({ radio_cobertura_km: null }).success, false);
  assert.equal(serviceSettingsSchema.safeParse({ acepta_instant: null }).success, false);
  assert.equal(serviceSettingsSchema.safeParse({ tarifa_por_hora: "abc" }).success, false);
});
