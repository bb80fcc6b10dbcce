import { testSql } from "../support/accounts.ts";

/** Notifications written straight into the table (as the event handlers do), newest last. */
export async function seedNotifications(
  usuarioId: string,
  count: number,
  options: { leida?: boolean; tipo?: string } = {},
): Promise<string[]> {
  const rows = await testSql()`
    insert into public.notifications (usuario_id, tipo, categoria, titulo, mensaje, data, leida, fecha_lectura, created_at)
    select ${usuarioId}, ${options.tipo ?? "SISTEMA"}, 'cuenta', 'Aviso ' || g, 'Mensaje ' || g,
           jsonb_build_object('n', g::text), ${options.leida ?? false},
           case when ${options.leida ?? false} then now() end,
           now() - make_interval(secs => ${count} - g)
    from generate_series(1, ${count}) g
    returning id`;
  return rows.map((r) => r.id);
}

export const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
