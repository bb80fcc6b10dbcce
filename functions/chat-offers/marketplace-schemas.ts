import { z } from "zod";
import { moneyAmount } from "../../shared/validation.ts";

/**
 * Request and response schemas of offers (ofertas) and jobs (trabajos). Responses are the
 * supersets of compatibility.md C2, C3 and C5: the monolith's fields plus what the frontend reads,
 * money and ratings as JSON numbers, timestamps ISO-8601.
 */
/** Longest text one party writes for the other (description, notes, comment), as the tables check. */
export const TEXT_MAX = 2000;
/** Longest reason for a cancellation. */
export const REASON_MAX = 500;

const integer = z.string().trim().regex(/^-?\d+$/, "Debe ser un número entero").transform(Number);

/** Bare-array lists (API.md rule 7) still take `page`/`limit`: `limit` defaults to and caps at 100. */
export const listQuerySchema = z.object({
  page: integer.optional().transform((p) => Math.max(p ?? 1, 1)),
  limit: integer.optional().transform((l) => (l === undefined || l < 1 ? 100 : Math.min(l, 100))),
});
export type ListPage = z.infer<typeof listQuerySchema>;

export const OFERTA_ESTADOS = ["OFERTADO", "ACEPTADO", "RECHAZADO", "EXPIRADO", "RETIRADO"] as const;
export const TRABAJO_ESTADOS = [
  "PENDIENTE_PAGO",
  "PAGADO",
  "EN_PROCESO",
  "COMPLETADO",
  "APROBADO",
  "CANCELADO",
] as const;
export const ESCROW_ESTADOS = [
  "PENDIENTE_PAGO",
  "PAGADO_EN_ESCROW",
  "LIBERADO",
  "CANCELADO_REEMBOLSADO",
] as const;

export const createOfferSchema = z.object({
  /** The client's account id (`usuarios.id`); the FE chat page may send "" → 422. */
  cliente_id: z.guid(),
  chat_id: z.guid(),
  descripcion: z.string().trim().min(10).max(TEXT_MAX),
  precio_final: moneyAmount("El precio"),
  fecha_expiracion: z.iso.datetime({ offset: true }).nullish(),
});

export const chatParams = z.object({ chat_id: z.guid({ error: "Chat no encontrado" }) });

export const ofertaReadSchema = z.object({
  id: z.uuid(),
  profesional_id: z.uuid(),
  cliente_id: z.uuid(),
  chat_id: z.uuid(),
  servicio_id: z.uuid().nullable(),
  descripcion: z.string(),
  precio_final: z.number(),
  precio: z.number(),
  estado: z.enum(OFERTA_ESTADOS),
  fecha_creacion: z.string(),
  fecha_actualizacion: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  fecha_expiracion: z.string(),
  fecha_respuesta: z.string().nullable(),
  /** The job an accepted offer became (null otherwise). */
  trabajo_id: z.uuid().nullable(),
  profesional_nombre: z.string(),
  profesional_avatar_url: z.string().nullable(),
  profesional_rating: z.number(),
  cliente_nombre: z.string(),
  cliente_avatar_url: z.string().nullable(),
}).meta({ id: "OfertaRead" });
export type OfertaRead = z.infer<typeof ofertaReadSchema>;

export const MENSAJE_ACEPTADA = "Oferta aceptada. Procede al pago para confirmar el trabajo.";

/** C2: the offer's fields at top level and nested, plus the job and where to pay it. */
export const acceptResponseSchema = ofertaReadSchema.extend({
  oferta: ofertaReadSchema,
  trabajo_id: z.uuid(),
  /** Null until payments creates the MercadoPago preference (when the browser opens payment_url). */
  payment_preference_id: z.string().nullable(),
  /** payments' checkout for this job, signed for this client (null when checkout is not configured). */
  payment_url: z.string().nullable(),
  mensaje: z.string(),
}).meta({ id: "OfertaAcceptResponse" });

export const trabajoReadSchema = z.object({
  id: z.uuid(),
  cliente_id: z.uuid(),
  profesional_id: z.uuid(),
  oferta_id: z.uuid(),
  servicio_instant_id: z.uuid().nullable(),
  chat_id: z.uuid().nullable(),
  descripcion: z.string(),
  precio_final: z.number(),
  precio: z.number(),
  comision_plataforma: z.number().nullable(),
  monto_liberado: z.number().nullable(),
  estado: z.enum(TRABAJO_ESTADOS),
  estado_escrow: z.enum(ESCROW_ESTADOS),
  mercadopago_payment_id: z.string().nullable(),
  fecha_creacion: z.string(),
  fecha_actualizacion: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  fecha_pago: z.string().nullable(),
  fecha_inicio: z.string().nullable(),
  fecha_fin: z.string().nullable(),
  fecha_aprobacion: z.string().nullable(),
  fecha_cancelacion: z.string().nullable(),
  motivo_cancelacion: z.string().nullable(),
  notas_profesional: z.string().nullable(),
  notas_cliente: z.string().nullable(),
  imagenes: z.array(z.string()),
  cliente_nombre: z.string(),
  profesional_nombre: z.string(),
  /** Only for the job's client while it is PENDIENTE_PAGO: a fresh signed checkout link. */
  payment_url: z.string().nullable(),
}).meta({ id: "TrabajoRead" });
export type TrabajoRead = z.infer<typeof trabajoReadSchema>;

export const updateJobSchema = z.object({
  estado: z.enum(TRABAJO_ESTADOS),
  notas_profesional: z.string().trim().max(TEXT_MAX).nullish(),
  notas_cliente: z.string().trim().max(TEXT_MAX).nullish(),
  /** URLs of images already uploaded (`POST …/imagenes`), appended to the job's. */
  imagenes: z.array(z.url().max(2000)).max(20).nullish(),
});

/** The answer of an approval (either path): the monolith's finalizar fields plus the job. */
export const jobReleasedSchema = trabajoReadSchema.extend({
  comision: z.number(),
}).meta({ id: "TrabajoAprobado" });

export const finalizarResponseSchema = z.object({
  trabajo: trabajoReadSchema,
  /** The release's reference (escrow.released event); the money is paid out by withdrawals. */
  payout_id: z.string().nullable(),
  monto_liberado: z.number(),
  comision: z.number(),
  mensaje: z.string(),
}).meta({ id: "TrabajoFinalizarResponse" });

export const cancelBodySchema = z.object({
  motivo: z.string().trim().max(REASON_MAX).nullish(),
  razon: z.string().trim().max(REASON_MAX).nullish(),
}).nullish();

export const cancelResponseSchema = z.object({
  trabajo: trabajoReadSchema,
  /** The refund payments carries out (null when nothing had been paid). */
  refund_id: z.string().nullable(),
  mensaje: z.string(),
}).meta({ id: "TrabajoCancelarResponse" });

export const timelineItemSchema = z.object({
  id: z.uuid(),
  trabajo_id: z.uuid(),
  tipo: z.enum(["ESTADO_CAMBIO", "COMENTARIO", "IMAGEN", "PAGO"]),
  descripcion: z.string(),
  estado_anterior: z.enum(TRABAJO_ESTADOS).nullable(),
  estado_nuevo: z.enum(TRABAJO_ESTADOS).nullable(),
  usuario_id: z.uuid().nullable(),
  usuario_nombre: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  created_at: z.string(),
}).meta({ id: "TrabajoEvento" });
export type TimelineItem = z.infer<typeof timelineItemSchema>;

export const commentSchema = z.object({ texto: z.string().trim().min(1).max(TEXT_MAX) });

export const imageUploadedSchema = z.object({
  url: z.string(),
  imagen_url: z.string(),
  imagenes: z.array(z.string()),
  evento: timelineItemSchema,
});
