import { z } from "zod";

/**
 * Request and response schemas of reviews (reseñas): the monolith's ResenaRead / ResenaPublicRead /
 * ResenaCreateResponse (compatibility.md §1.2) plus the other clients' names for the same values
 * (API.md rule 6: `comentario` = `texto_resena`, `cliente_nombre` = `nombre_cliente`,
 * `created_at` = `fecha_creacion`). Public items never carry the client's id.
 */
const rating = z.int().min(1).max(5);
const texto = z.string().max(2000).nullish();

/** `POST /cliente/trabajo/{id}/resena` (the job comes from the path). */
export const createReviewSchema = z.object({ rating, texto_resena: texto, comentario: texto });

/** `POST /resenas` (the job comes from the body). */
export const createReviewWithJobSchema = createReviewSchema.extend({ trabajo_id: z.guid() });

export const answerReviewSchema = z.object({
  texto: z.string().trim().min(1).max(2000).optional(),
  respuesta: z.string().trim().min(1).max(2000).optional(),
}).refine((b) => b.texto ?? b.respuesta, { message: "Falta el texto de la respuesta", path: ["texto"] });

export const resenaReadSchema = z.object({
  id: z.uuid(),
  trabajo_id: z.uuid(),
  cliente_id: z.uuid(),
  /** The profile id (profesionales.id), as the original. */
  profesional_id: z.uuid(),
  rating,
  texto_resena: z.string().nullable(),
  comentario: z.string().nullable(),
  respuesta: z.string().nullable(),
  respuesta_at: z.string().nullable(),
  fecha_creacion: z.string(),
  fecha_actualizacion: z.string(),
  created_at: z.string(),
}).meta({ id: "ResenaRead" });
export type ResenaRead = z.infer<typeof resenaReadSchema>;

export const resenaCreateResponseSchema = z.object({
  resena: resenaReadSchema,
  profesional_rating_promedio: z.number(),
  profesional_total_resenas: z.int(),
  rating_promedio: z.number().describe("Same value as profesional_rating_promedio"),
  total_resenas: z.int().describe("Same value as profesional_total_resenas"),
  mensaje: z.string(),
}).meta({ id: "ResenaCreateResponse" });

/** A public review (same fields as the public profile's `resenas[]`). */
export const resenaPublicSchema = z.object({
  id: z.uuid(),
  rating,
  texto_resena: z.string().nullable(),
  comentario: z.string().nullable(),
  nombre_cliente: z.string(),
  cliente_nombre: z.string(),
  cliente_avatar_url: z.string().nullable(),
  fecha_creacion: z.string(),
  created_at: z.string(),
}).meta({ id: "ResenaPublica" });
export type ResenaPublic = z.infer<typeof resenaPublicSchema>;
