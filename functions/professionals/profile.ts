import { z } from "zod";
import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import { moneyIn, moneyOut, numberOut } from "./money.ts";
import type { ProfileChanges } from "./profile-update.ts";
import { type OficioRead, oficioRead, oficioReadSchema, requireActiveTrades } from "./trades.ts";
import { entityId, timestamp } from "./wire.ts";

/**
 * The signed-in professional's own profile: the monolith's ProfessionalProfileRead plus the
 * fields the frontend reads (compatibility.md row 10). Every query here runs as the user
 * (`db.asUser`): RLS limits them to the caller's own rows.
 */
export type OwnProfileRow = {
  id: string;
  usuario_id: string;
  estado_verificacion: string;
  nivel: string;
  radio_cobertura_km: number;
  acepta_instant: boolean;
  tarifa_por_hora: string | null;
  tasa_comision_actual: string;
  rating_promedio: string;
  total_resenas: number;
  puntos_experiencia: number;
  payout_account: string | null;
  latitude: number | null;
  longitude: number | null;
  kyc_motivo_rechazo: string | null;
  kyc_fecha_envio: Date | null;
  kyc_fecha_revision: Date | null;
  fecha_creacion: Date;
  fecha_actualizacion: Date;
  nombre: string;
  apellido: string;
  email: string;
  avatar_url: string | null;
};

export async function ownProfileRow(tx: Tx, userId: string): Promise<OwnProfileRow> {
  const [row] = await tx<OwnProfileRow[]>`
    select p.id, p.usuario_id, p.estado_verificacion, p.nivel, p.radio_cobertura_km, p.acepta_instant,
      p.tarifa_por_hora, p.tasa_comision_actual, p.rating_promedio, p.total_resenas, p.puntos_experiencia,
      p.payout_account,
      extensions.st_y(p.ubicacion::extensions.geometry) as latitude,
      extensions.st_x(p.ubicacion::extensions.geometry) as longitude,
      p.kyc_motivo_rechazo, p.kyc_fecha_envio, p.kyc_fecha_revision, p.fecha_creacion, p.fecha_actualizacion,
      u.nombre, u.apellido, u.email, u.avatar_url
    from public.profesionales p
    join public.usuarios u on u.id = p.usuario_id
    where p.usuario_id = ${userId}`;
  if (!row) throw new AppError("not_found", "Perfil profesional no encontrado");
  return row;
}

/** The caller's profile id (404 when the PROFESIONAL account has no profile). */
export async function ownProfileId(tx: Tx, userId: string): Promise<string> {
  const [row] = await tx<{ id: string }[]>`select id from public.profesionales where usuario_id = ${userId}`;
  if (!row) throw new AppError("not_found", "Perfil profesional no encontrado");
  return row.id;
}

export async function profileTrades(tx: Tx, profileId: string): Promise<OficioRead[]> {
  const rows = await tx`
    select o.id, o.nombre, o.descripcion, o.activo, o.fecha_creacion
    from public.profesional_oficios po join public.oficios o on o.id = po.oficio_id
    where po.profesional_id = ${profileId} order by o.nombre`;
  return rows.map((r) => oficioRead(r as never));
}

/** The signed-in professional's own profile (private fields included: never for public routes). */
export const profileReadSchema = z.object({
  id: entityId,
  usuario_id: entityId,
  estado_verificacion: z.string(),
  nivel: z.string(),
  radio_cobertura_km: z.int(),
  acepta_instant: z.boolean(),
  tarifa_por_hora: z.number().nullable(),
  tasa_comision_actual: z.number(),
  nombre: z.string(),
  apellido: z.string(),
  email: z.string(),
  avatar_url: z.string().nullable(),
  rating_promedio: z.number().describe("Average of the reviews (0 without any); a number, never a string"),
  total_resenas: z.int(),
  puntos_experiencia: z.int(),
  payout_account: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  oficios: z.array(oficioReadSchema).describe("By name"),
  oficio_principal_id: entityId.nullable().describe(
    "Id of the first of `oficios` (the integration client's name); null without trades",
  ),
  kyc_status: z.string().describe("Same value as estado_verificacion"),
  verificado: z.boolean().describe("estado_verificacion is APROBADO"),
  fecha_creacion: timestamp,
  fecha_actualizacion: timestamp,
}).meta({ id: "ProfessionalProfileRead" });

export type ProfileRead = z.infer<typeof profileReadSchema>;

export function profileRead(row: OwnProfileRow, oficios: OficioRead[]): ProfileRead {
  return {
    id: row.id,
    usuario_id: row.usuario_id,
    estado_verificacion: row.estado_verificacion,
    nivel: row.nivel,
    radio_cobertura_km: row.radio_cobertura_km,
    acepta_instant: row.acepta_instant,
    tarifa_por_hora: moneyOut(row.tarifa_por_hora),
    tasa_comision_actual: numberOut(row.tasa_comision_actual),
    nombre: row.nombre,
    apellido: row.apellido,
    email: row.email,
    avatar_url: row.avatar_url,
    rating_promedio: numberOut(row.rating_promedio),
    total_resenas: row.total_resenas,
    puntos_experiencia: row.puntos_experiencia,
    payout_account: row.payout_account,
    latitude: row.latitude,
    longitude: row.longitude,
    oficios,
    oficio_principal_id: oficios[0]?.id ?? null,
    kyc_status: row.estado_verificacion,
    verificado: row.estado_verificacion === "APROBADO",
    fecha_creacion: row.fecha_creacion.toISOString(),
    fecha_actualizacion: row.fecha_actualizacion.toISOString(),
  };
}

export async function readOwnProfile(tx: Tx, userId: string): Promise<ProfileRead> {
  const row = await ownProfileRow(tx, userId);
  return profileRead(row, await profileTrades(tx, row.id));
}

/** Applies every requested change in the caller's transaction; any 404/422 leaves nothing changed. */
export async function applyProfileChanges(tx: Tx, profileId: string, changes: ProfileChanges): Promise<void> {
  const values: Record<string, unknown> = {};
  const { settings } = changes;
  if (settings.radio_cobertura_km !== undefined) values.radio_cobertura_km = settings.radio_cobertura_km;
  if (settings.acepta_instant !== undefined) values.acepta_instant = settings.acepta_instant;
  if (settings.tarifa_por_hora !== undefined) {
    values.tarifa_por_hora = settings.tarifa_por_hora === null ? null : moneyIn(settings.tarifa_por_hora);
  }
  if (changes.payoutAccount !== undefined) values.payout_account = changes.payoutAccount;
  if (Object.keys(values).length) {
    await tx`update public.profesionales set ${tx({ ...values, fecha_actualizacion: new Date() })}
             where id = ${profileId}`;
  }
  if (changes.location) await setLocation(tx, profileId, changes.location);
  if (changes.tradeIds) await replaceTrades(tx, profileId, changes.tradeIds);
}

/** Stores `POINT(longitude latitude)` (SRID 4326) as the professional's base location. */
export async function setLocation(tx: Tx, profileId: string, at: { latitude: number; longitude: number }) {
  await tx`
    update public.profesionales
    set ubicacion = extensions.st_setsrid(extensions.st_makepoint(${at.longitude}, ${at.latitude}), 4326)
          ::extensions.geography,
        fecha_actualizacion = now()
    where id = ${profileId}`;
}

/** Replaces the whole set of trades; an unknown id → 404 before anything changes. */
export async function replaceTrades(
  tx: Tx,
  profileId: string,
  ids: readonly string[],
): Promise<OficioRead[]> {
  const wanted = await requireActiveTrades(tx, ids);
  await tx`delete from public.profesional_oficios
           where profesional_id = ${profileId} and not (oficio_id = any(${wanted}::uuid[]))`;
  if (wanted.length) {
    await tx`insert into public.profesional_oficios (profesional_id, oficio_id)
             select ${profileId}, unnest(${wanted}::uuid[]) on conflict do nothing`;
  }
  return await profileTrades(tx, profileId);
}
