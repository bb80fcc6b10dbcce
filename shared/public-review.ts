// A professional's public reviews as every function answers them. `resenas` and its read
// interface `public.resenas_publicas(profile id, limit)` belong to chat-offers; the professionals
// function serves the same reviews on the public profile, so the row and its serializer are a
// shared contract (each function keeps its own response schema of these fields).

/** A row of `public.resenas_publicas(…)`: no client id, only the name the client shows. */
export type PublicReviewRow = {
  id: string;
  rating: number;
  texto_resena: string | null;
  nombre_cliente: string;
  cliente_avatar_url: string | null;
  fecha_creacion: Date;
};

/** ResenaPublicRead in both clients' names (API.md rule 6). */
export type PublicReviewRead = {
  id: string;
  rating: number;
  texto_resena: string | null;
  comentario: string | null;
  nombre_cliente: string;
  cliente_nombre: string;
  cliente_avatar_url: string | null;
  fecha_creacion: string;
  created_at: string;
};

/**
 * The response item of one row: `comentario` = `texto_resena`, `cliente_nombre` = `nombre_cliente`,
 * `created_at` = `fecha_creacion` (ISO 8601).
 *
 * @example
 * const rows = await tx<PublicReviewRow[]>`select * from public.resenas_publicas(${profileId})`;
 * return rows.map(publicReviewRead);
 */
export function publicReviewRead(r: PublicReviewRow): PublicReviewRead {
  const created = r.fecha_creacion.toISOString();
  return {
    id: r.id,
    rating: r.rating,
    texto_resena: r.texto_resena,
    comentario: r.texto_resena,
    nombre_cliente: r.nombre_cliente,
    cliente_nombre: r.nombre_cliente,
    cliente_avatar_url: r.cliente_avatar_url,
    fecha_creacion: created,
    created_at: created,
  };
}
