import type { Rol } from "../../shared/auth.ts";
import type { Sql, Tx } from "../../shared/db.ts";
import type { UsuarioRow } from "../../shared/user-read.ts";

/**
 * Auth's side of an account: reads `usuarios` (owned by users) and writes its own
 * `auth_credentials`. Every query runs on the service connection and filters by the account.
 */
export type AccountRow = UsuarioRow & { email_verificado_at: Date | null };
export type LoginCandidate = AccountRow & {
  password_hash: string | null;
  /** Null without a credential; a rehash keeps it (it is the same password). */
  password_changed_at: Date | null;
};

export async function findLoginCandidate(sql: Sql | Tx, email: string): Promise<LoginCandidate | null> {
  const [row] = await selectAccounts(sql, sql`u.email = ${email}`);
  return row ?? null;
}

export async function findAccountById(sql: Sql | Tx, userId: string): Promise<LoginCandidate | null> {
  const [row] = await selectAccounts(sql, sql`u.id = ${userId}`);
  return row ?? null;
}

function selectAccounts(sql: Sql | Tx, condition: ReturnType<Sql>) {
  return sql<LoginCandidate[]>`
    select u.id, u.email, u.nombre, u.apellido, u.rol, u.is_active, u.avatar_url, u.infracciones_chat,
      u.is_chat_banned, u.fecha_creacion, c.email_verificado_at, c.password_hash, c.password_changed_at
    from public.usuarios u left join public.auth_credentials c on c.user_id = u.id
    where ${condition}`;
}

/** What a token is minted from, read under {@link lockAccount}. */
export type LockedAccount = Pick<UsuarioRow, "id" | "email" | "rol" | "is_active"> & {
  password_changed_at?: Date | null;
};

/**
 * The account read again inside the transaction that opens or extends a session, locked until it
 * commits, and the token is minted before that commit. A ban, role change or password change
 * then either committed first (this read sees it) or waits for this transaction, so the "valid
 * after" mark it writes comes after this token's `iat`. Without the lock a token could be minted
 * from the row as it was before a ban that had already set its mark. The account row is locked
 * before any session row, the order bans and role changes take them in (users/user-status.ts).
 * `credential: "update"` for a login that rehashes: two share locks could never both upgrade.
 */
export async function lockAccount(
  tx: Tx,
  userId: string,
  options: { credential?: "share" | "update" } = {},
): Promise<LockedAccount | null> {
  const [user] = await tx<LockedAccount[]>`
    select id, email, rol, is_active from public.usuarios where id = ${userId} for share`;
  if (!user || !options.credential) return user ?? null;
  const [credential] = await tx<{ password_changed_at: Date }[]>`
    select password_changed_at from public.auth_credentials where user_id = ${userId}
    ${options.credential === "update" ? tx`for update` : tx`for share`}`;
  return { ...user, password_changed_at: credential?.password_changed_at ?? null };
}

export async function emailTaken(sql: Sql | Tx, email: string): Promise<boolean> {
  const [row] = await sql`select 1 from public.usuarios where email = ${email}`;
  return Boolean(row);
}

/** Opens the account through the users service's interface, then stores the credential. */
export async function insertAccount(
  tx: Tx,
  input: {
    email: string;
    nombre: string;
    apellido: string;
    rol: Rol;
    passwordHash: string;
    verified?: boolean;
  },
): Promise<AccountRow> {
  const [user] = await tx<AccountRow[]>`
    select * from public.create_usuario(${input.email}, ${input.nombre}, ${input.apellido}, ${input.rol}::public.user_role)`;
  const [credential] = await tx<{ email_verificado_at: Date | null }[]>`
    insert into public.auth_credentials (user_id, password_hash, email_verificado_at)
    values (${user.id}, ${input.passwordHash}, ${input.verified ? new Date() : null})
    returning email_verificado_at`;
  return { ...user, email_verificado_at: credential.email_verificado_at };
}

/** Sets (or first creates) the account's password; `rehash` keeps `password_changed_at`. */
export async function storePasswordHash(
  tx: Tx,
  userId: string,
  passwordHash: string,
  options: { rehash?: boolean } = {},
): Promise<void> {
  if (options.rehash) {
    await tx`update public.auth_credentials set password_hash = ${passwordHash}, updated_at = now()
      where user_id = ${userId}`;
    return;
  }
  await tx`
    insert into public.auth_credentials (user_id, password_hash) values (${userId}, ${passwordHash})
    on conflict (user_id) do update
      set password_hash = excluded.password_hash, password_changed_at = now(), updated_at = now()`;
}

export async function markEmailVerified(tx: Tx, userId: string): Promise<void> {
  await tx`update public.auth_credentials set email_verificado_at = coalesce(email_verificado_at, now()),
    updated_at = now() where user_id = ${userId}`;
}
