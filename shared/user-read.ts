import { z } from "zod";
import { type Rol, ROLES } from "./auth-user.ts";
import type { Tx } from "./db.ts";

// The account as every function answers it. `usuarios` belongs to the users function; auth
// answers accounts too, so the row type, its columns and the serializers are a shared contract.

/** A `usuarios` row as the functions read it. */
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
    fecha_creacion: row.fecha_creacion.toISOString(),
    created_at: row.fecha_creacion.toISOString(),
    infracciones_chat: row.infracciones_chat,
    is_chat_banned: row.is_chat_banned,
    es_admin: row.rol === "ADMIN",
    es_profesional: row.rol === "PROFESIONAL",
    es_cliente: row.rol === "CLIENTE",
  };
}

const timestamp = z.iso.datetime({ offset: true }).describe("ISO-8601 UTC");

export const userReadSchema = z.object({
  id: z.uuid(),
  email: z.email(),
  nombre: z.string(),
  apellido: z.string(),
  rol: z.enum(ROLES),
  is_active: z.boolean(),
  avatar_url: z.string().nullable(),
  fecha_creacion: timestamp,
  created_at: timestamp.describe("Same value as fecha_creacion"),
  infracciones_chat: z.number().int(),
  is_chat_banned: z.boolean(),
  es_admin: z.boolean(),
  es_profesional: z.boolean(),
  es_cliente: z.boolean(),
}).meta({ id: "UserRead" });

export const userSearchResultSchema = userReadSchema.pick({
  id: true,
  email: true,
  nombre: true,
  apellido: true,
  rol: true,
  is_active: true,
  fecha_creacion: true,
  created_at: true,
  avatar_url: true,
}).meta({ id: "UserSearchResult" });

/** The original's UserSearchResult (admin lists), plus `created_at` and `avatar_url`. */
export function toUserSearchResult(row: UsuarioRow) {
  return {
    id: row.id,
    email: row.email,
    nombre: row.nombre,
    apellido: row.apellido,
    rol: row.rol,
    is_active: row.is_active,
    fecha_creacion: row.fecha_creacion.toISOString(),
    created_at: row.fecha_creacion.toISOString(),
    avatar_url: row.avatar_url,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed UUID (anything else can never name a user). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
