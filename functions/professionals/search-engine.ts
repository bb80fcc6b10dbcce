import type { Tx } from "../../shared/db.ts";
import type { SearchQuery } from "./search-query.ts";

/**
 * Runs a `SearchQuery` against the search projections (DESIGN.md §4, measured here):
 * - one trade → `busqueda_oficios` (one row per trade × professional, partial GiST on
 *   (trade, location) over visible rows); several or any trade → `busqueda_profesionales`;
 * - nearest first = `order by ubicacion <-> point limit N`, the index stops after N rows; the
 *   coverage search adds a constant bound (largest radius in the trade) the index can use and
 *   the per-row `ST_DWithin(…, radio_cobertura_km * 1000)` as a filter;
 * - `enable_bitmapscan = off` for the transaction (the planner's bitmap-then-sort plan reads
 *   every candidate; measured 100x slower);
 * - other sorts with a point: a capped count decides — few matches → scan them by location and
 *   sort; many → read in the sort's index order and filter by distance (stops at the page).
 * Must run on the service connection: the projection is not readable by API roles (it holds base
 * locations); only public fields leave this module.
 */
export type SearchRow = {
  profesional_id: string;
  usuario_id: string;
  nombre: string;
  apellido: string;
  avatar_url: string | null;
  nivel: string;
  puntos_experiencia: number;
  rating_promedio: string;
  total_resenas: number;
  tarifa_por_hora: string | null;
  acepta_instant: boolean;
  radio_cobertura_km: number;
  oficios: string[];
  distancia_m: number | null;
  /** The trade the query matched on this row (first by name when several did); null without a trade filter. */
  oficio_nombre: string | null;
};

export type SearchOutcome = {
  rows: SearchRow[];
  /** Matches, counted up to `countCap`; `totalExact` is false when the cap was reached. */
  total: number;
  totalExact: boolean;
};

type Spatial = "index" | "filter";

export async function runSearch(
  tx: Tx,
  q: SearchQuery,
  options: { countCap: number },
): Promise<SearchOutcome> {
  // `enable_bitmapscan` off for this transaction; pipelined with what follows (no extra round trip).
  const settings = tx`select set_config('enable_bitmapscan', 'off', true)`.execute();
  const ids = await tradeIds(tx, q);
  if (ids && ids.length === 0) {
    await settings;
    return { rows: [], total: 0, totalExact: true };
  }
  const parts = { tx, q, ids };
  const cap = options.countCap;

  // Other sorts around a point: a capped count first decides how to read (see above).
  if (q.point !== null && q.radius.kind !== "none" && q.sort !== "distancia") {
    const counted = await count(parts, "index", cap);
    const [, rows] = await Promise.all([settings, page(parts, counted >= cap ? "filter" : "index")]);
    return outcome(q, rows, { counted, cap });
  }
  // Nearest first, or no point: the page and (pipelined, same round trip) the capped count.
  const counting = q.withTotal ? count(parts, "index", cap) : Promise.resolve(null);
  const [, rows, counted] = await Promise.all([settings, page(parts, "index"), counting]);
  return outcome(q, rows, { counted, cap });
}

function outcome(
  q: SearchQuery,
  rows: SearchRow[],
  c: { counted: number | null; cap: number },
): SearchOutcome {
  if (!q.withTotal || c.counted === null) return { rows, total: rows.length, totalExact: true };
  // A short page is the last one: its end is the exact total, whatever the cap.
  if (rows.length < q.limit && (rows.length > 0 || q.offset === 0)) {
    return { rows, total: q.offset + rows.length, totalExact: true };
  }
  const total = Math.max(c.counted, rows.length ? q.offset + rows.length : 0);
  return { rows, total, totalExact: c.counted < c.cap };
}

/** The trades a query is limited to (null: any); a name matches active trades by substring. */
async function tradeIds(tx: Tx, q: SearchQuery): Promise<string[] | null> {
  const trade = q.trade;
  if (trade.kind === "any") return null;
  // An unknown or inactive trade id simply has no rows in the projection.
  if (trade.kind === "id") return [trade.id];
  const [row] = await tx<{ ids: string[] }[]>`
    select coalesce(array_agg(o.id order by o.nombre), '{}') as ids from public.oficios o
    where o.activo
      and public.normalizar_busqueda(o.nombre) like '%' || public.normalizar_busqueda(${
    escapeLike(trade.name)
  }) || '%'`;
  return row.ids;
}

type Parts = { tx: Tx; q: SearchQuery; ids: string[] | null };

function point({ tx, q }: Parts) {
  const p = q.point!;
  return tx`extensions.st_setsrid(extensions.st_makepoint(${p.lng}, ${p.lat}), 4326)::extensions.geography`;
}

function source(parts: Parts) {
  const { tx, ids } = parts;
  return ids?.length === 1 ? tx`public.busqueda_oficios b` : tx`public.busqueda_profesionales b`;
}

/** Every predicate of the query, on alias `b` of `source()`. */
function where(parts: Parts, spatial: Spatial) {
  const { tx, q, ids } = parts;
  const single = ids?.length === 1;
  const pattern = q.text ? `%${escapeLike(q.text)}%` : null;
  return tx`b.visible
    ${single ? tx`and b.oficio_id = ${ids![0]}` : tx``}
    ${
    ids && ids.length > 1
      ? tx`and exists (select 1 from public.busqueda_oficios o
             where o.profesional_id = b.profesional_id and o.oficio_id = any(${ids}::uuid[]))`
      : tx``
  }
    ${q.nivel ? tx`and b.nivel = ${q.nivel}` : tx``}
    ${q.aceptaInstant !== undefined ? tx`and b.acepta_instant = ${q.aceptaInstant}` : tx``}
    ${q.ratingMin !== undefined ? tx`and b.rating_promedio >= ${q.ratingMin}` : tx``}
    ${q.precioMin !== undefined ? tx`and b.tarifa_por_hora >= ${q.precioMin}` : tx``}
    ${q.precioMax !== undefined ? tx`and b.tarifa_por_hora <= ${q.precioMax}` : tx``}
    ${q.pricedOnly ? tx`and b.tarifa_por_hora is not null` : tx``}
    ${
    pattern === null
      ? tx``
      : single
      ? tx`and exists (select 1 from public.busqueda_profesionales t where t.profesional_id = b.profesional_id
             and t.texto like public.normalizar_busqueda(${pattern}))`
      : tx`and b.texto like public.normalizar_busqueda(${pattern})`
  }
    ${spatialPredicate(parts, spatial)}`;
}

function spatialPredicate(parts: Parts, spatial: Spatial) {
  const { tx, q, ids } = parts;
  if (!q.point || q.radius.kind === "none") return tx``;
  const p = point(parts);
  if (q.radius.kind === "client") {
    return spatial === "index"
      ? tx`and extensions.st_dwithin(b.ubicacion, ${p}, ${q.radius.meters})`
      : tx`and extensions.st_distance(b.ubicacion, ${p}) <= ${q.radius.meters}`;
  }
  if (spatial === "filter") {
    return tx`and extensions.st_distance(b.ubicacion, ${p}) <= b.radio_cobertura_km * 1000.0`;
  }
  // The bound the index can use: nobody's radius is larger than the largest one in the trade.
  const bound = ids?.length === 1
    ? tx`(select max(r.radio_cobertura_km) from public.busqueda_oficios r
          where r.oficio_id = ${ids[0]} and r.visible)`
    : tx`(select max(r.radio_cobertura_km) from public.busqueda_profesionales r where r.visible)`;
  return tx`and extensions.st_dwithin(b.ubicacion, ${p}, ${bound} * 1000.0)
    and extensions.st_dwithin(b.ubicacion, ${p}, b.radio_cobertura_km * 1000.0)`;
}

function orderBy(parts: Parts) {
  const { tx, q } = parts;
  switch (q.sort) {
    case "distancia":
      return q.point
        ? tx`b.ubicacion <-> ${point(parts)}`
        : tx`b.rating_promedio desc, b.total_resenas desc, b.profesional_id`;
    case "precio":
      // Ascending puts rows without a price last (POST leaves them out: `pricedOnly`).
      return tx`b.tarifa_por_hora, b.profesional_id`;
    case "nivel":
      return tx`b.nivel desc, b.puntos_experiencia desc, b.profesional_id`;
    case "rating":
      return tx`b.rating_promedio desc, b.total_resenas desc, b.profesional_id`;
  }
}

async function page(parts: Parts, spatial: Spatial): Promise<SearchRow[]> {
  const { tx, q, ids } = parts;
  const distance = q.point ? tx`extensions.st_distance(p.ubicacion, ${point(parts)})` : tx`null::float8`;
  // The trade that matched: the one searched for, or — a name matching several — this row's first
  // matching one (not its first trade). Evaluated per result row, after the page is chosen.
  const tradeName = !ids
    ? tx`null::text`
    : ids.length === 1
    ? tx`(select o.nombre::text from public.oficios o where o.id = ${ids[0]})`
    : tx`(select o.nombre::text from public.busqueda_oficios m join public.oficios o on o.id = m.oficio_id
          where m.profesional_id = p.profesional_id and m.oficio_id = any(${ids}::uuid[])
          order by o.nombre limit 1)`;
  return await tx<SearchRow[]>`
    select p.profesional_id, p.usuario_id, p.nombre, p.apellido, p.avatar_url, p.nivel, p.puntos_experiencia,
      p.rating_promedio, p.total_resenas, p.tarifa_por_hora, p.acepta_instant, p.radio_cobertura_km, p.oficios,
      ${distance} as distancia_m, ${tradeName} as oficio_nombre
    from unnest(array(
      select b.profesional_id from ${source(parts)}
      where ${where(parts, spatial)}
      order by ${orderBy(parts)}
      limit ${q.limit} offset ${q.offset}
    )) with ordinality as found (id, ord)
    join public.busqueda_profesionales p on p.profesional_id = found.id
    order by found.ord`;
}

async function count(parts: Parts, spatial: Spatial, cap: number): Promise<number> {
  const { tx } = parts;
  const [row] = await tx<{ n: number }[]>`
    select count(*)::int as n from (
      select 1 from ${source(parts)} where ${where(parts, spatial)} limit ${cap}
    ) matches`;
  return row.n;
}

/** `%` and `_` typed by a user are literal characters, not wildcards. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
