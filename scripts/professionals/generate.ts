import type postgres from "postgres";

/**
 * Synthetic professionals for benchmarks, generated set-based in PostgreSQL (`generate_series`),
 * one chunk per transaction so progress is visible and 1M rows take minutes, not hours.
 * Locations follow Argentina's population (Buenos Aires heavy, then the large cities, a few
 * anywhere in the country); 90 % approved, 1 % banned; 1–3 trades each; radius 5–50 km.
 * Rows get deterministic ids from `tag`, so a second run with another tag adds, never collides.
 *
 * @example
 * await generateProfessionals(sql, { from: 1, to: 100_000, tag: "b1", onProgress: console.log });
 */
export type GenerateOptions = {
  /** First and last sequence number (inclusive) of the professionals to create. */
  from: number;
  to: number;
  /** Distinguishes runs: ends up in e-mails and ids. */
  tag: string;
  chunk?: number;
  onProgress?: (done: number, total: number, elapsedMs: number) => void;
};

/** [lat, lng, weight, spread in degrees] of the places professionals live. */
const PLACES: [number, number, number, number][] = [
  [-34.6037, -58.3816, 40, 0.18], // Buenos Aires + conurbano
  [-31.4201, -64.1888, 10, 0.08], // Córdoba
  [-32.9442, -60.6505, 8, 0.07], // Rosario
  [-32.8895, -68.8458, 6, 0.07], // Mendoza
  [-34.9214, -57.9545, 6, 0.05], // La Plata
  [-26.8083, -65.2176, 5, 0.05], // Tucumán
  [-38.0055, -57.5426, 5, 0.05], // Mar del Plata
  [-24.7821, -65.4232, 4, 0.05], // Salta
  [-31.6333, -60.7, 4, 0.05], // Santa Fe
  [-38.9516, -68.0591, 4, 0.05], // Neuquén
];
const SCATTERED_WEIGHT = 8; // anywhere in the country

const NOMBRES = [
  "Juan",
  "María",
  "Carlos",
  "Lucía",
  "Diego",
  "Sofía",
  "Martín",
  "Valentina",
  "Pablo",
  "Camila",
  "Jorge",
  "Florencia",
  "Alejandro",
  "Julieta",
  "Nicolás",
  "Agustina",
  "Facundo",
  "Micaela",
  "Matías",
  "Paula",
];
const APELLIDOS = [
  "González",
  "Rodríguez",
  "Gómez",
  "Fernández",
  "López",
  "Díaz",
  "Martínez",
  "Pérez",
  "García",
  "Sánchez",
  "Romero",
  "Sosa",
  "Álvarez",
  "Torres",
  "Ruiz",
  "Ramírez",
  "Flores",
  "Benítez",
  "Acosta",
  "Medina",
];

export async function generateProfessionals(sql: postgres.Sql, options: GenerateOptions): Promise<void> {
  const chunk = options.chunk ?? 50_000;
  const total = options.to - options.from + 1;
  const started = performance.now();
  const places = placesCte();
  for (let lo = options.from; lo <= options.to; lo += chunk) {
    const hi = Math.min(options.to, lo + chunk - 1);
    await sql.begin(async (tx) => {
      // Bulk path: triggers off (the projection is rebuilt set-based below), jit off for speed.
      await tx`select set_config('session_replication_role', 'replica', true), set_config('jit', 'off', true),
        setseed(${(lo % 1000) / 1000})`;
      await tx.unsafe(
        `insert into public.usuarios (id, email, nombre, apellido, rol, is_active)
         select ${uid("u")}, 'bench-' || $3 || '-' || g || '@bench.example.com',
           ($4::text[])[1 + (g * 7) % cardinality($4::text[])], ($5::text[])[1 + (g * 13) % cardinality($5::text[])],
           'PROFESIONAL', random() > 0.01
         from generate_series($1::int, $2::int) g`,
        [lo, hi, options.tag, NOMBRES, APELLIDOS],
      );
      await tx.unsafe(
        `with ${places},
         raw as (
           select g, random() as pick, random() as u1, random() as u2, random() as appr, random() as pts,
             random() as rt, random() as rad, random() as price, random() as inst
           from generate_series($1::int, $2::int) g
         ),
         placed as (
           select r.*, p.lat, p.lng, p.spread, p.scattered from raw r
           join places p on r.pick >= p.lo and r.pick < p.hi
         )
         insert into public.profesionales (id, usuario_id, estado_verificacion, nivel, radio_cobertura_km,
           acepta_instant, tarifa_por_hora, puntos_experiencia, tasa_comision_actual, rating_promedio,
           total_resenas, ubicacion)
         select ${uid("p")}, ${uid("u")},
           case when appr < 0.90 then 'APROBADO' when appr < 0.95 then 'EN_REVISION' else 'PENDIENTE' end
             ::public.verification_status,
           n.nivel, (array[5, 10, 10, 15, 20, 25, 30, 50])[1 + floor(rad * 8)::int], inst < 0.3,
           case when price < 0.1 then null else round((3000 + price * 27000)::numeric, 2) end,
           pts.points, n.tasa_comision,
           case when rt < 0.15 then 0 else round((3 + rt * 2)::numeric, 2) end,
           case when rt < 0.15 then 0 else floor(rt * 200)::int end,
           extensions.st_setsrid(extensions.st_makepoint(
             case when scattered then -73 + u1 * 19 else lng + spread * sqrt(-2 * ln(greatest(u1, 1e-9))) * sin(2 * pi() * u2) end,
             case when scattered then -55 + u2 * 33 else lat + spread * sqrt(-2 * ln(greatest(u1, 1e-9))) * cos(2 * pi() * u2) end
           ), 4326)::extensions.geography
         from placed
         cross join lateral (select floor(power(pts, 20) * 40000)::int as points) pts
         cross join lateral public.nivel_para_puntos(pts.points) n`,
        [lo, hi, options.tag],
      );
      await tx.unsafe(
        `with trades as (select array_agg(id order by nombre) ids from public.oficios where activo)
         insert into public.profesional_oficios (profesional_id, oficio_id)
         select distinct ${uid("p")}, t.ids[1 + floor(random() * cardinality(t.ids))::int]
         from generate_series($1::int, $2::int) g
         cross join trades t
         cross join lateral generate_series(1, 1 + (g::bigint * 7919 % 3)::int) k
         on conflict do nothing`,
        [lo, hi, options.tag],
      );
      await tx.unsafe(
        `select public.refrescar_busqueda(array(
           select ${uid("p")} from generate_series($1::int, $2::int) g))`,
        [lo, hi, options.tag],
      );
    });
    options.onProgress?.(hi - options.from + 1, total, performance.now() - started);
  }
  await sql`analyze public.usuarios, public.profesionales, public.profesional_oficios,
    public.busqueda_profesionales, public.busqueda_oficios`;
}

/** A deterministic, valid (version 4, RFC variant) uuid per sequence number `g` and run tag `$3`. */
function uid(kind: "u" | "p"): string {
  return `overlay(overlay(md5('${kind}-' || $3 || '-' || g) placing '4' from 13) placing '8' from 17)::uuid`;
}

/** Cumulative weights → `[lo, hi)` ranges of a uniform pick, as a CTE named `places`. */
function placesCte(): string {
  const totalWeight = PLACES.reduce((s, p) => s + p[2], 0) + SCATTERED_WEIGHT;
  let acc = 0;
  const rows = PLACES.map(([lat, lng, w, spread]) => {
    const lo = acc / totalWeight;
    acc += w;
    return `(${lat}, ${lng}, ${spread}, false, ${lo}, ${acc / totalWeight})`;
  });
  rows.push(`(0, 0, 0, true, ${acc / totalWeight}, 1.0000001)`);
  return `places (lat, lng, spread, scattered, lo, hi) as (values ${rows.join(", ")})`;
}

/** A progress line: `  400000/1000000 (40 %) in 52 s`. */
export function progressLine(done: number, total: number, elapsedMs: number): string {
  return `${done}/${total} (${Math.round((done / total) * 100)} %) in ${Math.round(elapsedMs / 1000)} s`;
}
