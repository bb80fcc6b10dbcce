import type postgres from "postgres";
import type { AdminBootstrap } from "../../shared/config-admin.ts";
import { newPasswordSchema } from "./password-policy.ts";
import type { PasswordHasher } from "./passwords.ts";

export type AdminOutcome = "created" | "unchanged" | "password set";

/**
 * Ensures the configured ADMIN account exists (the seed runs this on every start). Never
 * duplicates it, never resets a password the admin changed unless `resetPassword` is asked for,
 * and never promotes an existing non-admin account: whoever registered that address first would
 * become admin.
 */
export async function ensureAdminAccount(
  sql: postgres.Sql,
  admin: AdminBootstrap,
  options: { hasher: PasswordHasher; resetPassword?: boolean },
): Promise<AdminOutcome> {
  const policy = newPasswordSchema.safeParse(admin.password);
  if (!policy.success) throw new Error(`ADMIN_PASSWORD: ${policy.error.issues[0].message}`);
  return await sql.begin(async (tx) => {
    // One bootstrap at a time, even if two seeds race.
    await tx`select pg_advisory_xact_lock(hashtext('auth.admin_bootstrap'))`;
    const [existing] = await tx<{ id: string; rol: string; has_password: boolean }[]>`
      select u.id, u.rol, c.user_id is not null as has_password
      from public.usuarios u left join public.auth_credentials c on c.user_id = u.id
      where u.email = ${admin.email}`;
    if (existing && existing.rol !== "ADMIN") {
      throw new Error(
        `ADMIN_EMAIL ${admin.email} belongs to a ${existing.rol} account; refusing to promote it`,
      );
    }
    if (existing?.has_password && !options.resetPassword) return "unchanged";
    const passwordHash = await options.hasher.hash(admin.password);
    const userId = existing?.id ?? (await tx<{ id: string }[]>`
      select id from public.create_usuario(${admin.email}, ${admin.nombre}, ${admin.apellido}, 'ADMIN')`)[0]
      .id;
    await tx`
      insert into public.auth_credentials (user_id, password_hash, email_verificado_at)
      values (${userId}, ${passwordHash}, now())
      on conflict (user_id) do update
        set password_hash = excluded.password_hash, password_changed_at = now(), updated_at = now()`;
    return existing ? "password set" : "created";
  }) as AdminOutcome;
}
