import type postgres from "postgres";
import { createStorage, type Storage } from "../../shared/storage.ts";
import { DEMO_COUNT, demoEmail, type DemoPro, demoProfessionals } from "./demo.ts";
import { demoAvatarPng, workScenePng } from "./demo-images.ts";

/**
 * Seeds the demo professionals (`deno task seed --demo`, `deno task dev`). Accounts are created
 * through their owners' SQL interfaces (no password: demo professionals are shown, not logged
 * into); avatars and portfolio pictures are drawn offline and uploaded to Storage (the local
 * stand-in) like real uploads, served as `image/png`.
 *
 * Idempotent and convergent: a demo professional already at this version of the definition is
 * left alone; one seeded by an earlier version (repeated names, ratings without reviews, grey
 * pictures) is brought up to date — the rows are the demo's own, nobody logs into them.
 */
export const DEMO_IMAGES_VERSION = 2;

type Outcome = "created" | "updated" | "unchanged";

export async function seedDemoProfessionals(
  sql: postgres.Sql,
  options: { env: Record<string, string>; log: (msg: string) => void },
): Promise<number> {
  const trades = await sql<{ id: string; nombre: string }[]>`
    select id, nombre from public.oficios where activo order by nombre`;
  const tradeId = new Map(trades.map((t) => [t.nombre, t.id]));
  const storage = options.env.SUPABASE_URL && options.env.SUPABASE_SERVICE_ROLE_KEY
    ? createStorage({ url: options.env.SUPABASE_URL, serviceRoleKey: options.env.SUPABASE_SERVICE_ROLE_KEY })
    : null;
  const counts: Record<Outcome, number> = { created: 0, updated: 0, unchanged: 0 };
  for (const [i, pro] of demoProfessionals(trades.map((t) => t.nombre)).entries()) {
    const { outcome, staleImages } = await sql.begin((tx) => seedOne(tx, storage, { i, pro, tradeId }));
    counts[outcome]++;
    // After the commit: a leftover object costs little, a failed seed over it would cost more.
    if (storage && staleImages.length) await storage.remove("portfolio", staleImages).catch(() => {});
  }
  options.log(
    `  demo professionals: ${counts.created} created, ${counts.updated} brought up to date, ` +
      `${counts.unchanged} already there (of ${DEMO_COUNT})`,
  );
  return counts.created;
}

async function seedOne(
  tx: postgres.TransactionSql,
  storage: Storage | null,
  { i, pro, tradeId }: { i: number; pro: DemoPro; tradeId: Map<string, string> },
): Promise<{ outcome: Outcome; staleImages: string[] }> {
  const email = demoEmail(i);
  const [existing] = await tx<{ id: string; nombre: string; apellido: string; avatar_url: string | null }[]>`
    select id, nombre, apellido, avatar_url from public.usuarios where email = ${email} for update`;
  const avatarUrl = (userId: string) => storage?.publicUrl("avatars", avatarPath(userId)) ?? null;
  if (
    existing && existing.nombre === pro.nombre && existing.apellido === pro.apellido &&
    existing.avatar_url === avatarUrl(existing.id)
  ) {
    return { outcome: "unchanged", staleImages: [] };
  }
  const [user] = existing
    ? await tx`update public.usuarios set nombre = ${pro.nombre}, apellido = ${pro.apellido},
        fecha_actualizacion = now() where id = ${existing.id} returning id`
    : await tx`select * from public.create_usuario(${email}, ${pro.nombre}, ${pro.apellido}, 'PROFESIONAL')`;
  const [profile] = await tx`select * from public.create_professional_profile(${user.id})`;
  const [nivel] = await tx`select * from public.nivel_para_puntos(${pro.puntos})`;
  await tx`update public.profesionales set
      estado_verificacion = 'APROBADO', nivel = ${nivel.nivel}, tasa_comision_actual = ${nivel.tasa_comision},
      puntos_experiencia = ${pro.puntos}, rating_promedio = ${pro.rating}, total_resenas = ${pro.resenas},
      tarifa_por_hora = ${pro.tarifa}, radio_cobertura_km = ${pro.radio}, acepta_instant = ${pro.instant},
      ubicacion = extensions.st_setsrid(extensions.st_makepoint(${pro.lng}, ${pro.lat}), 4326)::extensions.geography,
      kyc_fecha_envio = coalesce(kyc_fecha_envio, now()), kyc_fecha_revision = coalesce(kyc_fecha_revision, now())
    where id = ${profile.id}`;
  const wanted = pro.oficios.map((nombre) => tradeId.get(nombre)!);
  await tx`delete from public.profesional_oficios
           where profesional_id = ${profile.id} and not (oficio_id = any(${wanted}::uuid[]))`;
  for (const id of wanted) {
    await tx`insert into public.profesional_oficios (profesional_id, oficio_id)
             values (${profile.id}, ${id}) on conflict do nothing`;
  }
  const stale = await tx<{ storage_path: string | null }[]>`
    delete from public.portfolio_imagenes i using public.portfolio_items it
    where it.id = i.portfolio_item_id and it.profesional_id = ${profile.id}
    returning i.storage_path`;
  await tx`delete from public.portfolio_items where profesional_id = ${profile.id}`;
  const [item] = await tx`insert into public.portfolio_items (profesional_id, titulo, descripcion)
    values (${profile.id}, ${pro.trabajo}, ${`Trabajo realizado en ${pro.barrio}.`}) returning id`;
  if (storage) {
    for (const variant of [0, 1]) {
      const path = `${profile.id}/${item.id}_${variant}.png`;
      await storage.upload("portfolio", path, workScenePng(pro.oficios[0], i, variant), {
        contentType: "image/png",
        upsert: true,
      });
      await tx`insert into public.portfolio_imagenes (portfolio_item_id, imagen_url, storage_path, orden)
               values (${item.id}, ${storage.publicUrl("portfolio", path)}, ${path}, ${variant})`;
    }
    await storage.upload("avatars", avatarPath(user.id), demoAvatarPng(pro.nombre, pro.apellido, i), {
      contentType: "image/png",
      upsert: true,
    });
  }
  await tx`update public.usuarios set avatar_url = ${avatarUrl(user.id)} where id = ${user.id}`;
  return {
    outcome: existing ? "updated" : "created",
    staleImages: stale.map((s) => s.storage_path).filter((p): p is string => !!p),
  };
}

/** In the user's own avatar folder, as a real upload; the version in the name refreshes old seeds. */
function avatarPath(userId: string): string {
  return `${userId}/avatar-demo-v${DEMO_IMAGES_VERSION}.png`;
}
