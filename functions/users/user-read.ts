import type { Rol } from "../../shared/auth.ts";
import type { Tx } from "../../shared/db.ts";

/** A `usuarios` row as this function reads it. */
export type UsuarioRow = {
  id: string;
  email: string;
  nombre: string;
  apellido: string;
  rol: Rol;
  is_active: boolean;
  avatar_url: string | null;
  infracciones_chat: number;
  is_chat_banned: boolean;
  fecha_creacion: Date;
};

/** Columns of `UsuarioRow`, for `select ${columns(tx)} from public.usuarios …`. */
export function columns(tx: Tx) {
  return tx`id, email, nombre, apellido, rol, is_active, avatar_url, infracciones_chat, is_chat_banned,
    fecha_creacion`;
}

/**
 * UserRead as the clients read it: the original's fields plus `created_at` (= `fecha_creacion`)
 * and the role flags the frontend branches on.
 */
export function toUserRead(row: UsuarioRow) {
  return {
    id: row.id,
    email: row.email,
    nombre: row.nombre,
    apellido: row.apellido,
    rol: row.rol,
    is_active: row.is_active,
    avatar_url: row.avatar_url,
    fecha_creacion: row.fecha_creacion,
    created_at: row.fecha_creacion,
    infracciones_chat: row.infracciones_chat,
    is_chat_banned: row.is_chat_banned,
    es_admin: row.rol === "ADMIN",
    es_profesional: row.rol === "PROFESIONAL",
    es_cliente: row.rol === "CLIENTE",
  };
}

/** The original's UserSearchResult (admin lists), plus `created_at` and `avatar_url`. */
export function toUserSearchResult(row: UsuarioRow) {
  return {
    id: row.id,
    email: row.email,
    nombre: row.nombre,
    apellido: row.apellido,
    rol: row.rol,
    is_active: row.is_active,
    fecha_creacion: row.fecha_creacion,
    created_at: row.fecha_creacion,
    avatar_url: row.avatar_url,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed UUID (anything else can never name a user). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
