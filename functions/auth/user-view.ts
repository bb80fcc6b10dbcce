import type { AccountRow } from "./credentials.ts";

/**
 * The account as auth answers it: the original's full UserRead (register returned it) plus
 * `email_verificado`. Built field by field, so a credential column can never slip into a response.
 */
export function userView(row: AccountRow) {
  return {
    id: row.id,
    email: row.email,
    nombre: row.nombre,
    apellido: row.apellido,
    rol: row.rol,
    is_active: row.is_active,
    fecha_creacion: new Date(row.fecha_creacion).toISOString(),
    avatar_url: row.avatar_url,
    infracciones_chat: row.infracciones_chat,
    is_chat_banned: row.is_chat_banned,
    es_admin: row.rol === "ADMIN",
    es_profesional: row.rol === "PROFESIONAL",
    es_cliente: row.rol === "CLIENTE",
    email_verificado: row.email_verificado_at !== null,
  };
}

export type UserView = ReturnType<typeof userView>;
