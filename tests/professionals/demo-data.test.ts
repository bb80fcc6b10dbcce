import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { DEMO_COUNT, demoEmail, demoProfessionals } from "../../scripts/professionals/demo.ts";
import {
  AVATAR_SIZE,
  demoAvatarPng,
  initials,
  workScenePng,
} from "../../scripts/professionals/demo-images.ts";
import { seedDemoProfessionals } from "../../scripts/professionals/demo-seed.ts";
import {
  DEMO_CLIENTS,
  demoClientEmail,
  seedDemoMarketplace,
} from "../../scripts/marketplace/demo-marketplace.ts";
import { progressLine } from "../../scripts/professionals/generate.ts";
import { solidPng } from "../../scripts/professionals/png.ts";
import { testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";

const TRADES = ["Albañilería", "Carpintería", "Electricidad", "Plomería"];
const ALL_TRADES = [
  "Albañilería",
  "Carpintería",
  "Cerrajería",
  "Climatización",
  "Electricidad",
  "Jardinería",
  "Limpieza",
  "Pintura",
  "Plomería",
  "Reparación de electrodomésticos",
];

/** Width, height and the distinct colours of one of our PNGs (RGB, 8 bit, filter 0). */
function decodePng(png: Uint8Array): { width: number; height: number; colours: Set<number> } {
  assert.deepEqual([...png.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
  const view = new DataView(png.buffer, png.byteOffset);
  const [width, height] = [view.getUint32(16), view.getUint32(20)];
  const idat: Uint8Array[] = [];
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    if (new TextDecoder().decode(png.slice(at + 4, at + 8)) === "IDAT") {
      idat.push(png.slice(at + 8, at + 8 + length));
    }
    at += 12 + length;
  }
  const raw = new Uint8Array(inflateSync(Buffer.concat(idat)));
  const colours = new Set<number>();
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    assert.equal(raw[row], 0, "filter type 0");
    for (let x = 0; x < width; x++) {
      const p = row + 1 + x * 3;
      colours.add((raw[p] << 16) | (raw[p + 1] << 8) | raw[p + 2]);
    }
  }
  return { width, height, colours };
}

it("demo professionals: deterministic, around Buenos Aires, with trades, rates and levels", () => {
  const pros = demoProfessionals(TRADES);
  assert.equal(pros.length, DEMO_COUNT);
  assert.deepEqual(pros, demoProfessionals(TRADES), "same list every run (idempotent seeding)");
  for (const p of pros) {
    assert.ok(
      p.lat > -35.1 && p.lat < -34.3 && p.lng > -58.8 && p.lng < -57.8,
      `${p.barrio} is around Buenos Aires`,
    );
    assert.ok(p.oficios.length >= 1 && p.oficios.every((o) => TRADES.includes(o)));
    assert.ok(p.tarifa > 0);
  }
  assert.ok(new Set(pros.map((p) => p.puntos)).size > 3, "several levels");
});

it("demo professionals have unique names and no rating without reviews", () => {
  const pros = demoProfessionals(ALL_TRADES);
  const names = pros.map((p) => `${p.nombre} ${p.apellido}`);
  assert.equal(
    new Set(names).size,
    DEMO_COUNT,
    `repeated: ${names.filter((n, i) => names.indexOf(n) !== i)}`,
  );
  const firstNames = new Map<string, number>();
  for (const p of pros) firstNames.set(p.nombre, (firstNames.get(p.nombre) ?? 0) + 1);
  assert.ok(Math.max(...firstNames.values()) <= 2, "no first name more than twice");
  // The seed creates no reviews (the offers issue adds real ones), so nothing to average.
  for (const p of pros) assert.deepEqual([p.rating, p.resenas], [0, 0], `${p.nombre} ${p.apellido}`);
});

it("demo avatars are PNGs with the initials on a colour of their own", () => {
  assert.equal(initials("Lucía", "Álvarez"), "LA");
  assert.equal(initials(" ñandú", "Ortiz"), "NO");
  const a = decodePng(demoAvatarPng("Lucía", "Álvarez", 1));
  assert.deepEqual([a.width, a.height], [AVATAR_SIZE, AVATAR_SIZE]);
  assert.ok(a.colours.has(0xffffff), "white initials");
  assert.ok(a.colours.size >= 3, "background, shadow, letters");
  assert.notDeepEqual(
    demoAvatarPng("Lucía", "Álvarez", 1),
    demoAvatarPng("Lucía", "Álvarez", 2),
    "colour per person",
  );
  assert.notDeepEqual(demoAvatarPng("Ana", "Bo", 1), demoAvatarPng("Lu", "Cas", 1), "letters per person");
});

it("demo portfolio pictures are drawn per trade: many colours, different per trade and per professional", () => {
  const seen = new Set<string>();
  for (const trade of ALL_TRADES) {
    const png = workScenePng(trade, 3, 0);
    const { width, height, colours } = decodePng(png);
    assert.deepEqual([width, height], [320, 240]);
    assert.ok(colours.size >= 6, `${trade}: ${colours.size} colours, not a flat grey card`);
    seen.add(new TextDecoder("latin1").decode(png));
  }
  assert.equal(seen.size, ALL_TRADES.length, "one scene per trade");
  assert.notDeepEqual(
    workScenePng("Pintura", 1, 0),
    workScenePng("Pintura", 2, 0),
    "varied per professional",
  );
  const solid = decodePng(solidPng(4, 3, [10, 20, 30]));
  assert.deepEqual([solid.width, solid.height, [...solid.colours]], [4, 3, [0x0a141e]]);
});

it("seeding the demo: unique names, avatars and pictures served as images, ratings only with reviews", async () => {
  const sql = testSql();
  const env = testEnv();
  const log = (_: string) => {};
  await seedDemoProfessionals(sql, { env, log });
  // An account as an earlier version left it: a repeated name, a rating without reviews, no avatar.
  const [first] = await sql`select id from public.usuarios where email = ${demoEmail(0)}`;
  await sql`update public.usuarios set nombre = 'Facundo', apellido = 'Álvarez', avatar_url = null
    where id = ${first.id}`;
  await sql`update public.profesionales set rating_promedio = 4.9, total_resenas = 21 where usuario_id = ${first.id}`;
  assert.equal(await seedDemoProfessionals(sql, { env, log }), 0, "nothing new the second time");

  const emails = Array.from({ length: DEMO_COUNT }, (_, i) => demoEmail(i));
  const rows = await sql<
    {
      id: string;
      nombre: string;
      apellido: string;
      avatar_url: string | null;
      rating: string;
      total: number;
    }[]
  >`
    select p.id, u.nombre, u.apellido, u.avatar_url, p.rating_promedio::text as rating, p.total_resenas as total
    from public.usuarios u join public.profesionales p on p.usuario_id = u.id
    where u.email in ${sql(emails)} and p.estado_verificacion = 'APROBADO'`;
  assert.equal(rows.length, DEMO_COUNT);
  assert.equal(new Set(rows.map((r) => `${r.nombre} ${r.apellido}`)).size, DEMO_COUNT, "unique names");
  for (const r of rows) {
    const [{ n }] = await sql`select count(*)::int as n from public.resenas_publicas(${r.id}, 1000)`;
    assert.equal(r.total, n, `${r.nombre} ${r.apellido}: total_resenas matches the reviews`);
    if (n === 0) assert.equal(Number(r.rating), 0, `${r.nombre} ${r.apellido}: no rating without reviews`);
  }
  const images = await sql<{ imagen_url: string }[]>`
    select i.imagen_url from public.portfolio_imagenes i join public.portfolio_items it on it.id = i.portfolio_item_id
    where it.profesional_id in ${sql(rows.map((r) => r.id))}`;
  assert.equal(images.length, DEMO_COUNT * 2, "two pictures each, none duplicated by re-seeding");
  const sample = [
    ...rows.slice(0, 3).map((r) => r.avatar_url!),
    ...images.slice(0, 3).map((i) => i.imagen_url),
  ];
  for (const url of sample) {
    assert.ok(url?.startsWith(`${env.SUPABASE_URL}/storage/v1/object/public/`), url);
    const served = await fetch(url);
    assert.equal(served.status, 200, url);
    assert.equal(served.headers.get("content-type"), "image/png");
    assert.ok(decodePng(new Uint8Array(await served.arrayBuffer())).colours.size >= 3, `${url} is a picture`);
  }
});

it("the demo marketplace: offers and jobs in every state, released money in the ledger, ratings from reviews", async () => {
  const sql = testSql();
  const log = (_: string) => {};
  await seedDemoProfessionals(sql, { env: testEnv(), log });
  await seedDemoMarketplace(sql, { log });
  assert.equal(await seedDemoMarketplace(sql, { log }), "unchanged", "idempotent");

  const emails = DEMO_CLIENTS.map((_, i) => demoClientEmail(i));
  const clients = await sql<{ id: string; has_password: boolean }[]>`
    select u.id, c.user_id is not null as has_password
    from public.usuarios u left join public.auth_credentials c on c.user_id = u.id
    where u.email in ${sql(emails)} and u.rol = 'CLIENTE'`;
  assert.equal(clients.length, DEMO_CLIENTS.length);
  assert.ok(clients.every((c) => c.has_password), "demo clients can log in");
  const ids = clients.map((c) => c.id);

  const offers = await sql<{ estado: string }[]>`
    select distinct estado::text from public.ofertas where cliente_id in ${sql(ids)}`;
  assert.deepEqual(
    offers.map((o) => o.estado).sort(),
    ["ACEPTADO", "EXPIRADO", "OFERTADO", "RECHAZADO", "RETIRADO"],
  );
  const jobs = await sql<{ id: string; estado: string; monto_liberado: number | null }[]>`
    select id, estado::text, monto_liberado::float8 from public.trabajos where cliente_id in ${sql(ids)}`;
  assert.deepEqual(
    [...new Set(jobs.map((j) => j.estado))].sort(),
    ["APROBADO", "CANCELADO", "COMPLETADO", "EN_PROCESO", "PAGADO", "PENDIENTE_PAGO"],
  );
  const approved = jobs.filter((j) => j.estado === "APROBADO");
  assert.ok(approved.every((j) => j.monto_liberado! > 0), "released to the professional");
  const [{ n: releases }] = await sql`select count(*)::int as n from public.ledger_asientos
    where tipo = 'LIBERACION' and trabajo_id in ${sql(approved.map((j) => j.id))}`;
  assert.equal(releases, approved.length, "one release per approved job in the ledger");
  // Only the demo's jobs and entries: tests running at the same time book their own.
  const violations = await sql`select v.* from public.ledger_invariant_violations() v
    where v.referencia in (select id::text from public.trabajos where cliente_id in ${sql(ids)})
       or v.referencia in (select a.id::text from public.ledger_asientos a join public.trabajos t on t.id = a.trabajo_id
                           where t.cliente_id in ${sql(ids)})`;
  assert.deepEqual([...violations], [], "the ledger invariants hold for the demo");

  const [{ n: reviews }] = await sql`select count(*)::int as n from public.resenas where cliente_id in ${
    sql(ids)
  }`;
  assert.equal(reviews, approved.length, "every approved job is reviewed");
  const pros = await sql<{ id: string; rating: string; total: number; mean: string | null; n: number }[]>`
    select p.id, p.rating_promedio::text as rating, p.total_resenas as total,
      (select round(avg(r.rating)::numeric, 2)::text from public.resenas r where r.profesional_id = p.id) as mean,
      (select count(*)::int from public.resenas r where r.profesional_id = p.id) as n
    from public.profesionales p join public.usuarios u on u.id = p.usuario_id
    where u.email like 'demo-profesional-%@demo.conectarprofesionales.com'`;
  assert.equal(pros.length, DEMO_COUNT);
  assert.ok(pros.filter((p) => p.n > 0).length >= 4, "several professionals with reviews");
  for (const p of pros) {
    assert.equal(p.total, p.n, `${p.id}: total_resenas is the number of reviews`);
    assert.equal(Number(p.rating), Number(p.mean ?? 0), `${p.id}: rating_promedio is their mean`);
    const [{ shown }] = await sql`select count(*)::int as shown from public.resenas_publicas(${p.id}, 1000)`;
    assert.equal(shown, p.n, `${p.id}: the public profile shows them`);
  }
});

it("the benchmark generator reports progress as done/total (percent) in seconds", () => {
  assert.equal(progressLine(250_000, 1_000_000, 61_400), "250000/1000000 (25 %) in 61 s");
});
