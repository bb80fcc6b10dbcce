import type { Tx } from "../../shared/db.ts";

export const NEW_USERS_DAYS = 30;

/**
 * UserMetricsResponse: the original's four counts (pending KYC = PENDIENTE + EN_REVISION, as the
 * admin queue the frontend shows) plus counts by role and status and new accounts per UTC day
 * for the last 30 days (zeros included, oldest first). Read as the admin (RLS: admins see all).
 */
export async function userMetrics(tx: Tx) {
  const [users] = await tx<Record<string, number>[]>`
    select count(*)::int as total,
      count(*) filter (where rol = 'CLIENTE')::int as clientes,
      count(*) filter (where rol = 'PROFESIONAL')::int as profesionales,
      count(*) filter (where rol = 'ADMIN')::int as admins,
      count(*) filter (where is_active)::int as activos,
      count(*) filter (where not is_active)::int as baneados
    from public.usuarios`;
  const [kyc] = await tx<Record<string, number>[]>`
    select count(*) filter (where estado_verificacion in ('PENDIENTE', 'EN_REVISION'))::int as pendientes,
      count(*) filter (where estado_verificacion = 'APROBADO')::int as aprobados
    from public.profesionales`;
  const perDay = await tx<{ fecha: string; total: number }[]>`
    with bounds as (select (now() at time zone 'utc')::date - ${NEW_USERS_DAYS - 1}::int as first_day),
    counts as (
      select (u.fecha_creacion at time zone 'utc')::date as fecha, count(*)::int as total
      from public.usuarios u, bounds b
      where u.fecha_creacion >= b.first_day::timestamp at time zone 'utc'
      group by 1
    )
    select to_char(d, 'YYYY-MM-DD') as fecha, coalesce(c.total, 0) as total
    from bounds b, generate_series(b.first_day, b.first_day + ${NEW_USERS_DAYS - 1}::int, interval '1 day') d
    left join counts c on c.fecha = d::date
    order by d`;
  return {
    total_clientes: users.clientes,
    total_profesionales: users.profesionales,
    total_pro_pendientes_kyc: kyc.pendientes,
    total_pro_aprobados: kyc.aprobados,
    total_admins: users.admins,
    total_usuarios: users.total,
    usuarios_activos: users.activos,
    usuarios_baneados: users.baneados,
    por_rol: { CLIENTE: users.clientes, PROFESIONAL: users.profesionales, ADMIN: users.admins },
    por_estado: { activos: users.activos, baneados: users.baneados },
    nuevos_por_dia: perDay,
    nuevos_ultimos_30_dias: perDay.reduce((sum, day) => sum + day.total, 0),
  };
}
