import { z } from "zod";
import { jsonNumber } from "../../shared/validation.ts";

/**
 * One query model behind both search flavours (API.md "Search"):
 * - `GET /search/professionals`: the monolith's test flavour — a trade id and a point; a
 *   professional matches when their OWN coverage radius reaches the point.
 * - `POST /search`: the frontend's — every filter optional; with coordinates, the CLIENT's
 *   `radio_km` (default 10) bounds the distance; paginated with a total.
 */
export const NIVELES = ["BRONCE", "PLATA", "ORO", "DIAMANTE"] as const;
export type Nivel = (typeof NIVELES)[number];
export type SortKey = "distancia" | "rating" | "precio" | "nivel";

export type SearchQuery = {
  point: { lat: number; lng: number } | null;
  radius: { kind: "coverage" } | { kind: "client"; meters: number } | { kind: "none" };
  trade: { kind: "any" } | { kind: "id"; id: string } | { kind: "name"; name: string };
  nivel?: Nivel;
  aceptaInstant?: boolean;
  ratingMin?: number;
  precioMin?: number;
  precioMax?: number;
  /** Leave out professionals without an hourly rate (`POST /search` sorted by price). */
  pricedOnly?: boolean;
  text?: string;
  sort: SortKey;
  offset: number;
  limit: number;
  /** POST needs `total`; the bare-list flavour does not. */
  withTotal: boolean;
};

const SORT_ALIASES: Record<string, SortKey> = {
  distancia: "distancia",
  distance: "distancia",
  cercania: "distancia",
  rating: "rating",
  calificacion: "rating",
  calificacion_promedio: "rating",
  precio: "precio",
  price: "precio",
  tarifa: "precio",
  nivel: "nivel",
  level: "nivel",
};

/** Unknown sort names fall back to the default, as the original did (never a 500). */
export function sortKey(value: string | undefined, hasPoint: boolean): SortKey {
  const key = value ? SORT_ALIASES[value.trim().toLowerCase()] : undefined;
  if (key === "distancia" && !hasPoint) return "rating";
  return key ?? (hasPoint ? "distancia" : "rating");
}

const TRUE = ["true", "1", "yes", "on"];
const FALSE = ["false", "0", "no", "off"];
const queryBool = z.string().trim().toLowerCase().refine((v) => TRUE.includes(v) || FALSE.includes(v), {
  message: "Debe ser true o false",
}).transform((v) => TRUE.includes(v));
const queryNumber = z.string().trim().min(1).pipe(z.coerce.number());

export const getSearchSchema = z.object({
  oficio_id: z.uuid(),
  lat: queryNumber.pipe(z.number().min(-90).max(90)),
  lng: queryNumber.pipe(z.number().min(-180).max(180)),
  nivel: z.enum(NIVELES).optional(),
  acepta_instant: queryBool.optional(),
  sort_by: z.string().max(50).optional(),
  limit: queryNumber.pipe(z.int().min(1).max(1000)).optional(),
});

/** The frontend sends `null`/`""` for filters the user left empty: both mean "no filter". */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null || v === "" ? undefined : v), schema.optional());
}

export const postSearchSchema = z.object({
  latitude: optional(jsonNumber.pipe(z.number().min(-90).max(90))),
  longitude: optional(jsonNumber.pipe(z.number().min(-180).max(180))),
  radio_km: optional(jsonNumber.pipe(z.number().min(1).max(500))),
  oficio: optional(z.string().trim().max(100)),
  oficio_id: optional(z.uuid()),
  rating_minimo: optional(jsonNumber.pipe(z.number().min(0).max(5))),
  precio_minimo: optional(jsonNumber.pipe(z.number().min(0))),
  precio_maximo: optional(jsonNumber.pipe(z.number().min(0))),
  nivel: optional(z.enum(NIVELES)),
  acepta_instant: optional(z.boolean()),
  disponible: optional(z.boolean()),
  solo_disponibles_ahora: optional(z.boolean()),
  incluir_fuera_de_radio: optional(z.boolean()),
  q: optional(z.string().trim().max(100)),
  texto: optional(z.string().trim().max(100)),
  ordenar_por: optional(z.string().max(50)),
  skip: optional(jsonNumber.pipe(z.int().min(0).max(10_000))),
  limit: optional(jsonNumber.pipe(z.int().min(1).max(1000))),
}).superRefine((b, ctx) => {
  if ((b.latitude === undefined) !== (b.longitude === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: [b.latitude === undefined ? "latitude" : "longitude"],
      message: "Enviá latitude y longitude juntos",
    });
  }
});

export type GetSearch = z.output<typeof getSearchSchema>;
export type PostSearch = z.output<typeof postSearchSchema>;

export const DEFAULT_CLIENT_RADIUS_KM = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function queryFromGet(params: GetSearch, maxLimit: number): SearchQuery {
  return {
    point: { lat: params.lat, lng: params.lng },
    radius: { kind: "coverage" },
    trade: { kind: "id", id: params.oficio_id },
    nivel: params.nivel,
    aceptaInstant: params.acepta_instant,
    sort: sortKey(params.sort_by, true),
    offset: 0,
    limit: Math.min(params.limit ?? maxLimit, maxLimit),
    withTotal: false,
  };
}

export function queryFromPost(
  body: PostSearch,
  options: { maxLimit: number; defaultLimit: number },
): SearchQuery {
  const point = body.latitude !== undefined && body.longitude !== undefined
    ? { lat: body.latitude, lng: body.longitude }
    : null;
  const radius: SearchQuery["radius"] = !point || body.incluir_fuera_de_radio
    ? { kind: "none" }
    : { kind: "client", meters: (body.radio_km ?? DEFAULT_CLIENT_RADIUS_KM) * 1000 };
  const tradeName = body.oficio;
  const trade: SearchQuery["trade"] = body.oficio_id
    ? { kind: "id", id: body.oficio_id }
    : tradeName && UUID.test(tradeName)
    ? { kind: "id", id: tradeName.toLowerCase() }
    : tradeName
    ? { kind: "name", name: tradeName }
    : { kind: "any" };
  // `disponible: false` is the frontend's default: it means "no filter", not "only unavailable".
  const onlyAvailable = body.disponible === true || body.solo_disponibles_ahora === true;
  const sort = sortKey(body.ordenar_por, point !== null);
  return {
    point,
    radius,
    trade,
    nivel: body.nivel,
    aceptaInstant: body.acepta_instant ?? (onlyAvailable ? true : undefined),
    // The original ignored a falsy 0 for these three; 0 as a minimum is no filter anyway.
    ratingMin: body.rating_minimo || undefined,
    precioMin: body.precio_minimo || undefined,
    precioMax: body.precio_maximo || undefined,
    text: body.q ?? body.texto,
    sort,
    // A price sort answers "who is cheapest": someone without a rate is no answer (issue 10).
    pricedOnly: sort === "precio",
    offset: body.skip ?? 0,
    limit: Math.min(body.limit ?? options.defaultLimit, options.maxLimit),
    withTotal: true,
  };
}
