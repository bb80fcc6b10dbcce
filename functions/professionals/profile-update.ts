import { z } from "zod";
import { jsonNumber, MONEY_MAX } from "../../shared/validation.ts";

/**
 * Request bodies that change a professional's profile, and their normalisation into one
 * `ProfileChanges` value the domain applies in one transaction.
 *
 * `PUT /professional/profile` takes the monolith's partial body; `PUT /professional/me` takes
 * every shape the frontend sends to that one path (compatibility.md C10): service settings,
 * a coordinate pair under three spellings, trades as `oficio_ids` or `oficios_ids` (an array, or
 * the frontend's `{oficio_ids: [...]}` wrapper), the payout account, and extra form keys we do
 * not model (ignored).
 */

const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);
const tradeIds = z.array(z.uuid()).max(50);

export const serviceSettingsSchema = z.object({
  radio_cobertura_km: z.int().min(1).max(500).optional(),
  acepta_instant: z.boolean().optional(),
  // null clears the rate (the monolith's semantics).
  // ≥ 0, so nothing finer than a cent can break a rule: numeric(12, 2) rounds it, as the
  // monolith's Decimal did (compatibility.md: "decimal ≥ 0").
  tarifa_por_hora: jsonNumber.pipe(z.number().min(0).max(MONEY_MAX)).nullable().optional(),
});

export const locationSchema = z.object({ latitude, longitude });

export const tradesSchema = z.object({ oficio_ids: tradeIds });

export const payoutSchema = z.object({ payout_account: z.string().trim().min(1).max(255) });

const PAIRS = [["latitude", "longitude"], ["latitud", "longitud"], [
  "ubicacion_lat",
  "ubicacion_lon",
]] as const;

export const combinedUpdateSchema = serviceSettingsSchema.extend({
  latitude: latitude.nullable().optional(),
  longitude: longitude.nullable().optional(),
  latitud: latitude.nullable().optional(),
  longitud: longitude.nullable().optional(),
  ubicacion_lat: latitude.nullable().optional(),
  ubicacion_lon: longitude.nullable().optional(),
  oficio_ids: tradeIds.optional(),
  oficios_ids: z.union([tradeIds, z.object({ oficio_ids: tradeIds })]).optional(),
  payout_account: z.string().trim().min(1).max(255).optional(),
}).superRefine((body, ctx) => {
  for (const [lat, lng] of PAIRS) {
    if ((body[lat] == null) !== (body[lng] == null)) {
      ctx.addIssue({
        code: "custom",
        path: [body[lat] == null ? lat : lng],
        message: `Enviá ${lat} y ${lng} juntos`,
      });
    }
  }
});

export type ServiceSettings = z.output<typeof serviceSettingsSchema>;
export type CombinedUpdate = z.output<typeof combinedUpdateSchema>;

export type ProfileChanges = {
  settings: ServiceSettings;
  location?: { latitude: number; longitude: number };
  tradeIds?: string[];
  payoutAccount?: string;
};

/** The changes a `PUT /professional/me` body asks for (first coordinate pair present wins). */
export function changesFromCombined(body: CombinedUpdate): ProfileChanges {
  const changes: ProfileChanges = {
    settings: {
      radio_cobertura_km: body.radio_cobertura_km,
      acepta_instant: body.acepta_instant,
      tarifa_por_hora: body.tarifa_por_hora,
    },
  };
  for (const [lat, lng] of PAIRS) {
    const la = body[lat];
    const lo = body[lng];
    if (la != null && lo != null) {
      changes.location = { latitude: la, longitude: lo };
      break;
    }
  }
  const trades = body.oficio_ids ??
    (Array.isArray(body.oficios_ids) ? body.oficios_ids : body.oficios_ids?.oficio_ids);
  if (trades) changes.tradeIds = trades;
  if (body.payout_account !== undefined) changes.payoutAccount = body.payout_account;
  return changes;
}
