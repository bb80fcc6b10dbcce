import type postgres from "postgres";

/**
 * Synthetic professionals for benchmarks, generated set-based in PostgreSQL (`generate_series`),
 * as a bulk load: when it at least doubles the tables, their secondary indexes are dropped first
 * and rebuilt at the end (one build is far cheaper than a million index inserts); the base rows go
 * in by chunks (progress is visible), the search projection is built once for all of them
 * (`refrescar_busqueda`, triggers off) and statistics are refreshed. Each step runs on `workers`
 * connections at once (the pool of `sql` must allow them); each chunk is its own transaction, and
 * the dropped indexes are rebuilt even when a step fails.
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
  /** Connections used at once (default 2: this machine's cores). */
  workers?: number;
  onProgress?: (done: number, total: number, elapsedMs: number) => void;
};

/** Where the time went (ms): base rows, projection, index rebuild, statistics. */
export type GenerateTimings = { rows: number; projection: number; indexes: number; analyze: number };

/** The tables a load writes; their secondary (non-unique) indexes are rebuilt after a bulk load. */
const TABLES = [
  "usuarios",
  "profesionales",
  "profesional_oficios",
  "busqueda_profesionales",
  "busqueda_oficios",
];

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

export async function generateProfessionals(
  sql: postgres.Sql,
  options: GenerateOptions,
): Promise<GenerateTimings> {
  const total = options.to - options.from + 1;
  const workers = options.workers ?? 2;
  const started = performance.now();
  const timings: GenerateTimings = { rows: 0, projection: 0, indexes: 0, analyze: 0 };
  const step = async (key: keyof GenerateTimings, tasks: (() => Promise<unknown>)[]) => {
    const since = performance.now();
    await inParallel(workers, tasks);
    timings[key] = performance.now() - since;
  };
  const [{ present }] = await sql`select count(*)::int as present from public.profesionales`;
  const rebuild = total >= present ? await dropSecondaryIndexes(sql) : [];
  try {
    const places = placesCte();
    let done = 0;
    await step(
      "rows",
      ranges(options.from, options.to, options.chunk ?? 50_000).map(([lo, hi]) => async () => {
        await bulk(sql, (tx) => insertChunk(tx, { lo, hi, tag: options.tag, places }));
        done += hi - lo + 1;
        options.onProgress?.(done, total, performance.now() - started);
      }),
    );
    await step(
      "projection",
      ranges(options.from, options.to, Math.ceil(total / workers)).map(([lo, hi]) => () =>
        bulk(sql, (tx) =>
          tx.unsafe(
            `select public.refrescar_busqueda(array(select ${
              uid("p")
            } from generate_series($1::int, $2::int) g))`,
            [lo, hi, options.tag],
          ))
      ),
    );
  } finally {
    await step("indexes", rebuild.map((definition) => () => bulk(sql, (tx) => tx.unsafe(definition))));
  }
  await step("analyze", TABLES.map((table) => () => sql.unsafe(`analyze public.${table}`)));
  return timings;
}

/**
 * A bulk-load transaction: triggers off (the projection is built set-based), jit off, room to sort,
 * and plans made for the actual id arrays (a cached generic plan would filter a table without its
 * dropped index by `= any(array)` row by row against the whole array).
 */
function bulk<T>(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<T>) {
  return sql.begin(async (tx) => {
    await tx`select set_config('session_replication_role', 'replica', true), set_config('jit', 'off', true),
      set_config('maintenance_work_mem', '256MB', true), set_config('work_mem', '128MB', true),
      set_config('plan_cache_mode', 'force_custom_plan', true)`;
    return await fn(tx);
  });
}

/** Runs `tasks` in order on at most `workers` at a time; after a failure none starts, and it throws. */
async function inParallel(workers: number, tasks: (() => Promise<unknown>)[]) {
  let next = 0;
  let failed = false;
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(workers, tasks.length) }, async () => {
      while (next < tasks.length && !failed) {
        await tasks[next++]().catch((error) => {
          failed = true;
          throw error;
        });
      }
    }),
  );
  const failure = results.find((r) => r.status === "rejected");
  if (failure) throw failure.reason;
}

/** `[lo, hi]` pieces of at most `size` covering `from..to`. */
function ranges(from: number, to: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let lo = from; lo <= to; lo += size) out.push([lo, Math.min(to, lo + size - 1)]);
  return out;
}

/**
 * Drops the non-unique indexes of `TABLES` (unique ones guard the inserts) and returns their
 * definitions, GiST and GIN first: they take longest to build, so the parallel rebuild ends sooner.
 */
async function dropSecondaryIndexes(sql: postgres.Sql): Promise<string[]> {
  const indexes = await sql<{ name: string; definition: string }[]>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
    join pg_class ic on ic.oid = i.indexrelid join pg_am am on am.oid = ic.relam
    where n.nspname = 'public' and t.relname in ${sql(TABLES)} and not i.indisunique and not i.indisprimary
    order by am.amname = 'btree', pg_relation_size(t.oid) desc`;
  if (indexes.length) await sql.unsafe(`drop index ${indexes.map((i) => i.name).join(", ")}`);
  return indexes.map((i) => i.definition);
}

/** Sequence numbers `lo..hi`: their accounts, profiles and trades (the projection comes later). */
async function insertChunk(
  tx: postgres.TransactionSql,
  c: { lo: number; hi: number; tag: string; places: string },
) {
  await tx`select setseed(${(c.lo % 1000) / 1000})`;
  const params = [c.lo, c.hi, c.tag];
  await tx.unsafe(
    `insert into public.usuarios (id, email, nombre, apellido, rol, is_active)
     select ${uid("u")}, 'bench-' || $3 || '-' || g || '@bench.example.com',
       ($4::text[])[1 + (g * 7) % cardinality($4::text[])], ($5::text[])[1 + (g * 13) % cardinality($5::text[])],
       'PROFESIONAL', random() > 0.01
     from generate_series($1::int, $2::int) g
     order by 1`,
    [...params, NOMBRES, APELLIDOS],
  );
  await tx.unsafe(
    `with ${c.places},
     raw as (
       select g, random() as pick, random() as u1, random() as u2, random() as appr,
         floor(power(random(), 20) * 40000)::int as points,
         random() as rt, random() as rad, random() as price, random() as inst
       from generate_series($1::int, $2::int) g
     ),
     -- The level of each distinct score, once (a per-row call of the function cost ~10 µs a row).
     levels as (
       select d.points, n.nivel, n.tasa_comision from (select distinct points from raw) d
       cross join lateral public.nivel_para_puntos(d.points) n
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
       r.points, n.tasa_comision,
       case when rt < 0.15 then 0 else round((3 + rt * 2)::numeric, 2) end,
       case when rt < 0.15 then 0 else floor(rt * 200)::int end,
       extensions.st_setsrid(extensions.st_makepoint(
         case when scattered then -73 + u1 * 19 else lng + spread * sqrt(-2 * ln(greatest(u1, 1e-9))) * sin(2 * pi() * u2) end,
         case when scattered then -55 + u2 * 33 else lat + spread * sqrt(-2 * ln(greatest(u1, 1e-9))) * cos(2 * pi() * u2) end
       ), 4326)::extensions.geography
     from placed r
     join levels n on n.points = r.points
     order by 1`,
    params,
  );
  await tx.unsafe(
    `with trades as (select array_agg(id order by nombre) ids from public.oficios where activo)
     insert into public.profesional_oficios (profesional_id, oficio_id)
     select distinct ${uid("p")}, t.ids[1 + floor(random() * cardinality(t.ids))::int]
     from generate_series($1::int, $2::int) g
     cross join trades t
     cross join lateral generate_series(1, 1 + (g::bigint * 7919 % 3)::int) k
     order by 1, 2`,
    params,
  );
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
