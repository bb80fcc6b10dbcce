import type postgres from "postgres";
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
 *   sort; many (`denseMatches`) → read in the sort's index order and filter by distance (stops at
 *   the page);
 * - "within the radius" tests the sphere first and the spheroid only near the edge (`within`);
 * - `POST`'s total: matches counted up to `countCap` past the page's start, never all of them.
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

export type SearchOptions = {
  /**
   * `withTotal`: matches are counted up to this many from the requested page's first row on
   * (`totalExact` false beyond): counting costs a read per match, so a small window keeps the
   * total cheaper than the page itself, and pagination can always go on.
   */
  countCap: number;
  /**
   * Other sorts around a point: from this many matches on, reading in the sort's own index order
   * and filtering by distance beats reading every match by location and sorting them.
   */
  denseMatches: number;
};

export async function runSearch(tx: Tx, q: SearchQuery, options: SearchOptions): Promise<SearchOutcome> {
  // For this transaction, pipelined with what follows (no extra round trip): no bitmap scans (see
  // above) and no parallel workers (starting them cost more than a page: measured 80–130 ms plans).
  const settings = tx`select set_config('enable_bitmapscan', 'off', true),
    set_config('max_parallel_workers_per_gather', '0', true)`.execute();
  const ids = await tradeIds(tx, q);
  if (ids && ids.length === 0) {
    await settings;
    return { rows: [], total: 0, totalExact: true };
  }
  const parts = { tx, q, ids };
  const window = q.offset + options.countCap;

  // Other sorts around a point: a capped count first decides how to read (see above); the same
  // count is the total.
  if (q.point !== null && q.radius.kind !== "none" && q.sort !== "distancia") {
    const cap = Math.max(window, options.denseMatches);
    const counted = await count(parts, "index", cap);
    const dense = counted >= options.denseMatches;
    const [, rows] = await Promise.all([settings, page(parts, dense ? "filter" : "index")]);
    return outcome(q, rows, { counted, cap });
  }
  // Nearest first, or no point: the page and (pipelined, same round trip) the count.
  const counting = q.withTotal ? count(parts, "index", window) : Promise.resolve(null);
  const [, rows, counted] = await Promise.all([settings, page(parts, "index"), counting]);
  return outcome(q, rows, { counted, cap: window });
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
/** A piece of SQL to interpolate into another. */
type Fragment = postgres.PendingQuery<postgres.Row[]>;

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
  const indexed = spatial === "index";
  if (q.radius.kind === "client") {
    const meters = q.radius.meters;
    return tx`and ${within(parts, (f) => tx`${meters * f}::float8`, indexed)}`;
  }
  const own = (f: number) => tx`b.radio_cobertura_km * ${1000 * f}::float8`;
  if (!indexed) return tx`and ${within(parts, own, false)}`;
  // The bound the index can use: nobody's radius is larger than the largest one in the trade.
  const bound = ids?.length === 1
    ? tx`(select max(r.radio_cobertura_km) from public.busqueda_oficios r
          where r.oficio_id = ${ids[0]} and r.visible)`
    : tx`(select max(r.radio_cobertura_km) from public.busqueda_profesionales r where r.visible)`;
  return tx`and extensions.st_dwithin(b.ubicacion, ${point(parts)}, ${bound} * ${
    1000 * OUTSIDE
  }::float8, false)
    and ${within(parts, own, true)}`;
}

/**
 * The sphere and the spheroid never disagree on a distance by more than 0.6 %: beyond this margin
 * the sphere's answer is the spheroid's.
 */
const INSIDE = 0.99;
const OUTSIDE = 1.01;

/**
 * "`b.ubicacion` is within `meters` of the point" exactly as the spheroid (geodesic) ST_DWithin
 * answers it, at a fraction of its cost: a spheroid distance costs ~10x a sphere one (measured
 * at 1M: counting 1000 matches took 42 ms, 4.5 ms on the sphere), so the sphere decides every row
 * outside a ±1 % band around the radius and the spheroid only the rows in it. `indexed`: the
 * outer test is an ST_DWithin the GiST index can use; otherwise plain distances (read in another
 * index's order).
 */
function within(parts: Parts, meters: (factor: number) => Fragment, indexed: boolean) {
  const { tx } = parts;
  const p = point(parts);
  return indexed
    ? tx`extensions.st_dwithin(b.ubicacion, ${p}, ${meters(OUTSIDE)}, false)
      and (extensions.st_dwithin(b.ubicacion, ${p}, ${meters(INSIDE)}, false)
        or extensions.st_dwithin(b.ubicacion, ${p}, ${meters(1)}))`
    : tx`extensions.st_distance(b.ubicacion, ${p}, false) <= ${meters(OUTSIDE)}
      and (extensions.st_distance(b.ubicacion, ${p}, false) <= ${meters(INSIDE)}
        or extensions.st_distance(b.ubicacion, ${p}) <= ${meters(1)})`;
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
