import assert from "node:assert/strict";
import type { Rol } from "../../shared/auth.ts";
import { createDb } from "../../shared/db.ts";
import { createAccount, testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import { createPro, createTrade } from "./helpers.ts";

/** Row level security of professionals' tables, as each API role sees them (no mocks). */
const db = createDb(testEnv().DATABASE_URL, { max: 2, appName: "professionals-rls" });
const as = (account: { id: string; email: string; rol: string }) => ({
  id: account.id,
  rol: account.rol as Rol,
  email: account.email,
  sessionId: null,
  issuedAt: 0,
});

async function twoProsWithData() {
  const trade = await createTrade();
  const a = await createPro({ trades: [trade.id] });
  const b = await createPro({ trades: [trade.id] });
  const sql = testSql();
  for (const pro of [a, b]) {
    const [item] = await sql`insert into public.portfolio_items (profesional_id, titulo)
      values (${pro.profesionalId}, 'Trabajo') returning id`;
    await sql`insert into public.portfolio_imagenes (portfolio_item_id, imagen_url, orden) values (${item.id}, 'https://x/y.jpg', 0)`;
    await sql`insert into public.kyc_documentos (profesional_id, envio_id, nombre_archivo, content_type, storage_path)
      values (${pro.profesionalId}, gen_random_uuid(), 'dni.pdf', 'application/pdf', ${`${pro.profesionalId}/dni.pdf`})`;
    await sql`insert into public.servicios_instantaneos (nombre, oficio_id, profesional_id, precio_fijo)
      values ('Publicado', ${trade.id}, ${pro.profesionalId}, 100)`;
    await sql`insert into public.profesional_puntos (profesional_id, motivo, referencia, puntos)
      values (${pro.profesionalId}, 'RESENA', ${crypto.randomUUID()}, 50)`;
  }
  return { a, b, trade };
}

it("a professional sees only their own profile, trades, documents, services and points", async () => {
  const { a, b } = await twoProsWithData();
  const tables = [
    ["profesionales", "id"],
    ["profesional_oficios", "profesional_id"],
    ["kyc_documentos", "profesional_id"],
    ["servicios_instantaneos", "profesional_id"],
    ["profesional_puntos", "profesional_id"],
  ];
  for (const [table, column] of tables) {
    const rows = await db.asUser(
      as(a),
      (tx) =>
        tx.unsafe(`select ${column} as owner from public.${table} where ${column} = any($1::uuid[])`, [[
          a.profesionalId,
          b.profesionalId,
        ]]),
    );
    assert.ok(rows.length >= 1, `${table}: own rows visible`);
    assert.ok(rows.every((r) => r.owner === a.profesionalId), `${table}: another professional's rows hidden`);
  }
});

it("a professional cannot write another professional's rows (portfolio, trades, services)", async () => {
  const { a, b, trade } = await twoProsWithData();
  const user = as(a);
  const changed = await db.asUser(
    user,
    (tx) =>
      tx`update public.portfolio_items set titulo = 'hackeado' where profesional_id = ${b.profesionalId} returning id`,
  );
  assert.equal(changed.length, 0);
  const deleted = await db.asUser(
    user,
    (tx) =>
      tx`delete from public.profesional_oficios where profesional_id = ${b.profesionalId} returning oficio_id`,
  );
  assert.equal(deleted.length, 0);
  await assert.rejects(
    db.asUser(
      user,
      (tx) =>
        tx`insert into public.servicios_instantaneos (nombre, oficio_id, profesional_id, precio_fijo)
         values ('Ajeno', ${trade.id}, ${b.profesionalId}, 10)`,
    ),
    /row-level security/,
  );
  await assert.rejects(
    db.asUser(
      user,
      (tx) =>
        tx`insert into public.profesional_oficios (profesional_id, oficio_id) values (${b.profesionalId}, ${trade.id})`,
    ),
    /row-level security/,
  );
});

it("anon reads the trade catalog, levels and portfolios, but no profile, document, points or projection", async () => {
  await twoProsWithData();
  const count = (table: string) =>
    db.asAnon((tx) => tx.unsafe(`select count(*)::int as n from public.${table}`)).then((r) => r[0].n);
  assert.ok((await count("oficios")) >= 10);
  assert.equal(await count("niveles"), 4);
  assert.ok((await count("portfolio_items")) >= 2);
  assert.ok((await count("portfolio_imagenes")) >= 2);
  for (
    const table of [
      "profesionales",
      "kyc_documentos",
      "profesional_puntos",
      "busqueda_profesionales",
      "busqueda_oficios",
    ]
  ) {
    await assert.rejects(count(table), /permission denied/, table);
  }
  // Published services are not readable directly (owners' rows); the catalog is.
  const published = await db.asAnon((tx) =>
    tx`select count(*)::int as n from public.servicios_instantaneos where profesional_id is not null`
  );
  assert.equal(published[0].n, 0);
});

it("the search projections are closed to every API role (they hold base locations)", async () => {
  const client = await createAccount("CLIENTE");
  const admin = await createAccount("ADMIN");
  for (const user of [as(client), as(admin)]) {
    for (const table of ["busqueda_profesionales", "busqueda_oficios"]) {
      await assert.rejects(
        db.asUser(user, (tx) => tx.unsafe(`select 1 from public.${table} limit 1`)),
        /permission denied/,
      );
    }
  }
});

it("admins read every profile and document; clients read none", async () => {
  const { a, b } = await twoProsWithData();
  const admin = await createAccount("ADMIN");
  const client = await createAccount("CLIENTE");
  const ids = [a.profesionalId, b.profesionalId];
  const adminDocs = await db.asUser(
    as(admin),
    (tx) => tx`select profesional_id from public.kyc_documentos where profesional_id = any(${ids}::uuid[])`,
  );
  assert.equal(adminDocs.length, 2);
  const clientDocs = await db.asUser(
    as(client),
    (tx) => tx`select profesional_id from public.kyc_documentos where profesional_id = any(${ids}::uuid[])`,
  );
  assert.equal(clientDocs.length, 0);
  const clientProfiles = await db.asUser(
    as(client),
    (tx) => tx`select id from public.profesionales where id = any(${ids}::uuid[])`,
  );
  assert.equal(clientProfiles.length, 0);
});
