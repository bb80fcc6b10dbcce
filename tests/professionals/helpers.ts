import { createAccount, type TestAccount, testSql } from "../support/accounts.ts";

/**
 * Fixtures for the professionals tests. Tests share one database and run in parallel, so each
 * makes its own trades (unique names) and places its professionals around its own random point
 * far from everyone else's (the South Atlantic), which keeps searches isolated.
 */
export type Pro = TestAccount & { profesionalId: string };

export function uniqueName(prefix: string): string {
  return `${prefix} ${crypto.randomUUID().slice(0, 8)}`;
}

export async function createTrade(
  nombre = uniqueName("Oficio prueba"),
): Promise<{ id: string; nombre: string }> {
  const [row] = await testSql()`insert into public.oficios (nombre, descripcion)
    values (${nombre}, 'Oficio creado por un test') returning id, nombre`;
  return { id: row.id, nombre: row.nombre };
}

/** A point nobody else uses: lat −40…−50, lng −20…−40 (open sea). */
export function isolatedPoint(): { lat: number; lng: number } {
  return { lat: -40 - Math.random() * 10, lng: -20 - Math.random() * 20 };
}

/** `km` east of `p` (approximately; good to ~0.5 % for the small distances tests use). */
export function east(p: { lat: number; lng: number }, km: number): { lat: number; lng: number } {
  return { lat: p.lat, lng: p.lng + km / (111.32 * Math.cos((p.lat * Math.PI) / 180)) };
}

export type ProOptions = {
  estado?: "PENDIENTE" | "EN_REVISION" | "APROBADO" | "RECHAZADO";
  at?: { lat: number; lng: number } | null;
  radio?: number;
  trades?: string[];
  nivel?: "BRONCE" | "PLATA" | "ORO" | "DIAMANTE";
  puntos?: number;
  rating?: number;
  resenas?: number;
  tarifa?: number | null;
  instant?: boolean;
  nombre?: string;
  apellido?: string;
};

/** A professional account with its profile set as given (straight SQL, as the owner would). */
export async function createPro(options: ProOptions = {}): Promise<Pro> {
  const account = await createAccount("PROFESIONAL", { nombre: options.nombre, apellido: options.apellido });
  const id = account.profesionalId!;
  const sql = testSql();
  const at = options.at;
  await sql`update public.profesionales set
      estado_verificacion = ${options.estado ?? "APROBADO"},
      radio_cobertura_km = ${options.radio ?? 10},
      nivel = ${options.nivel ?? "BRONCE"},
      puntos_experiencia = ${options.puntos ?? 0},
      rating_promedio = ${options.rating ?? 0},
      total_resenas = ${options.resenas ?? 0},
      tarifa_por_hora = ${options.tarifa === undefined ? null : options.tarifa},
      acepta_instant = ${options.instant ?? false},
      ubicacion = ${
    at
      ? sql`extensions.st_setsrid(extensions.st_makepoint(${at.lng}, ${at.lat}), 4326)::extensions.geography`
      : null
  }
    where id = ${id}`;
  for (const trade of options.trades ?? []) {
    await sql`insert into public.profesional_oficios (profesional_id, oficio_id) values (${id}, ${trade})`;
  }
  return { ...account, profesionalId: id };
}

export async function banUser(userId: string): Promise<void> {
  await testSql()`update public.usuarios set is_active = false where id = ${userId}`;
}

/** A small file for multipart bodies. */
export function file(name: string, content = "placeholder bytes", type = "application/octet-stream"): File {
  return new File([new TextEncoder().encode(content)], name, { type });
}

export const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
