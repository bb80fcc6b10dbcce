import postgres from "postgres";
import { signTestToken } from "./tokens.ts";
import { testEnv } from "./env.ts";

/**
 * Accounts created straight through the owners' SQL interfaces, with a token signed by the run's
 * key — for tests of features other than auth. Auth's own tests go through HTTP.
 */
export type TestAccount = { id: string; email: string; rol: string; token: string; profesionalId?: string };

let sql: postgres.Sql | null = null;
export function testSql(): postgres.Sql {
  sql ??= postgres(testEnv().DATABASE_URL, { prepare: false, max: 3, onnotice: () => {} });
  return sql;
}

export async function createAccount(
  rol: "CLIENTE" | "PROFESIONAL" | "ADMIN" = "CLIENTE",
  fields: { nombre?: string; apellido?: string; email?: string } = {},
): Promise<TestAccount> {
  const email = fields.email ?? `${rol.toLowerCase()}-${crypto.randomUUID().slice(0, 12)}@example.com`;
  const [user] = await testSql()`select * from public.create_usuario(
    ${email}, ${fields.nombre ?? "Test"}, ${fields.apellido ?? rol}, ${rol}::public.user_role)`;
  let profesionalId: string | undefined;
  if (rol === "PROFESIONAL") {
    const [profile] = await testSql()`select * from public.create_professional_profile(${user.id})`;
    profesionalId = profile.id;
  }
  const token = await signTestToken({ sub: user.id, rol, email });
  return { id: user.id, email, rol, token, profesionalId };
}
