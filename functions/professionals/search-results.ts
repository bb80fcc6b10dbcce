import { z } from "zod";
import { moneyOut, numberOut } from "./money.ts";
import type { SearchOutcome, SearchRow } from "./search-engine.ts";
import { entityId } from "./wire.ts";

/**
 * What search answers: public fields only — never e-mail, verification state, commission or the
 * base location itself (only the distance to the searched point).
 */
function distanceKm(row: SearchRow): number | null {
  return row.distancia_m === null ? null : Math.round(row.distancia_m / 10) / 100;
}

const distance = z.number().nullable().describe("km from the searched point (2 decimals); null without one");

/** `GET /search/professionals` items: the monolith's ProfessionalProfileRead keys, public subset. */
export const searchListItemSchema = z.object({
  id: entityId.describe("Profile id"),
  usuario_id: entityId,
  nombre: z.string(),
  apellido: z.string(),
  avatar_url: z.string().nullable(),
  nivel: z.string(),
  radio_cobertura_km: z.int(),
  acepta_instant: z.boolean(),
  tarifa_por_hora: z.number().nullable(),
  rating_promedio: z.number(),
  total_resenas: z.int(),
  puntos_experiencia: z.int(),
  oficios: z.array(z.string()).describe("Trade names"),
  distancia_km: distance,
}).meta({ id: "ProfessionalSearchItem" });

export function listItem(row: SearchRow): z.infer<typeof searchListItemSchema> {
  return {
    id: row.profesional_id,
    usuario_id: row.usuario_id,
    nombre: row.nombre,
    apellido: row.apellido,
    avatar_url: row.avatar_url,
    nivel: row.nivel,
    radio_cobertura_km: row.radio_cobertura_km,
    acepta_instant: row.acepta_instant,
    tarifa_por_hora: moneyOut(row.tarifa_por_hora),
    rating_promedio: numberOut(row.rating_promedio),
    total_resenas: row.total_resenas,
    puntos_experiencia: row.puntos_experiencia,
    oficios: row.oficios,
    distancia_km: distanceKm(row),
  };
}

/** `POST /search` items: the frontend's SearchResult, plus the monolith names of the same values. */
export const searchResultSchema = z.object({
  id: entityId.describe("Profile id"),
  usuario_id: entityId,
  nombre: z.string(),
  apellido: z.string(),
  oficio: z.string().describe("The trade that matched the search (by id or name), else the first one"),
  oficios: z.array(z.string()),
  tarifa_por_hora: z.number().nullable(),
  precio_por_hora: z.number().nullable().describe(
    "Same value as tarifa_por_hora (the integration client's name); never null when sorted by precio",
  ),
  calificacion_promedio: z.number(),
  rating_promedio: z.number().describe("Same value as calificacion_promedio (the integration client's name)"),
  cantidad_resenas: z.int(),
  total_resenas: z.int().describe("Same value as cantidad_resenas"),
  distancia_km: distance,
  nivel_profesional: z.string(),
  nivel: z.string().describe("Same value as nivel_profesional"),
  puntos_experiencia: z.int(),
  avatar_url: z.string().nullable(),
  acepta_instant: z.boolean(),
  radio_cobertura_km: z.int(),
}).meta({ id: "SearchResult" });

export function searchResult(row: SearchRow): z.infer<typeof searchResultSchema> {
  const rating = numberOut(row.rating_promedio);
  const rate = moneyOut(row.tarifa_por_hora);
  return {
    id: row.profesional_id,
    usuario_id: row.usuario_id,
    nombre: row.nombre,
    apellido: row.apellido,
    oficio: row.oficio_nombre ?? row.oficios[0] ?? "",
    oficios: row.oficios,
    tarifa_por_hora: rate,
    precio_por_hora: rate,
    calificacion_promedio: rating,
    rating_promedio: rating,
    cantidad_resenas: row.total_resenas,
    total_resenas: row.total_resenas,
    distancia_km: distanceKm(row),
    nivel_profesional: row.nivel,
    nivel: row.nivel,
    puntos_experiencia: row.puntos_experiencia,
    avatar_url: row.avatar_url,
    acepta_instant: row.acepta_instant,
    radio_cobertura_km: row.radio_cobertura_km,
  };
}

/** `{total, resultados, pagina, total_paginas}` (+ `total_exacto` when the count was capped). */
export const searchPageSchema = z.object({
  total: z.int(),
  resultados: z.array(searchResultSchema),
  pagina: z.int(),
  total_paginas: z.int(),
  total_exacto: z.boolean().describe("false when `total` stopped at the count cap"),
  skip: z.int(),
  limit: z.int(),
}).meta({ id: "SearchPage" });

export function searchPage(
  outcome: SearchOutcome,
  page: { offset: number; limit: number },
): z.infer<typeof searchPageSchema> {
  return {
    total: outcome.total,
    resultados: outcome.rows.map(searchResult),
    pagina: Math.floor(page.offset / page.limit) + 1,
    total_paginas: Math.ceil(outcome.total / page.limit),
    total_exacto: outcome.totalExact,
    skip: page.offset,
    limit: page.limit,
  };
}
