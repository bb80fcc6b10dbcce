import { moneyOut, numberOut } from "./money.ts";
import type { SearchOutcome, SearchRow } from "./search-engine.ts";

/**
 * What search answers: public fields only — never e-mail, verification state, commission or the
 * base location itself (only the distance to the searched point).
 */
function distanceKm(row: SearchRow): number | null {
  return row.distancia_m === null ? null : Math.round(row.distancia_m / 10) / 100;
}

/** `GET /search/professionals` items: the monolith's ProfessionalProfileRead keys, public subset. */
export function listItem(row: SearchRow) {
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
export function searchResult(row: SearchRow, tradeName: string | null) {
  const rating = numberOut(row.rating_promedio);
  return {
    id: row.profesional_id,
    usuario_id: row.usuario_id,
    nombre: row.nombre,
    apellido: row.apellido,
    oficio: tradeName ?? row.oficios[0] ?? "",
    oficios: row.oficios,
    tarifa_por_hora: moneyOut(row.tarifa_por_hora),
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
export function searchPage(outcome: SearchOutcome, page: { offset: number; limit: number }) {
  return {
    total: outcome.total,
    resultados: outcome.rows.map((r) => searchResult(r, outcome.tradeName)),
    pagina: Math.floor(page.offset / page.limit) + 1,
    total_paginas: Math.ceil(outcome.total / page.limit),
    total_exacto: outcome.totalExact,
    skip: page.offset,
    limit: page.limit,
  };
}
