import { z } from "zod";
import { moneyAmount } from "../../shared/validation.ts";
import { TRABAJO_ESTADOS } from "./marketplace-schemas.ts";

/**
 * Request and response schemas of disputes (disputas): money as JSON numbers, timestamps
 * ISO-8601, people as `usuarios.id`.
 */
const integer = z.string().trim().regex(/^-?\d+$/, "Debe ser un número entero").transform(Number);

export const DISPUTA_MOTIVOS = [
  "TRABAJO_NO_REALIZADO",
  "TRABAJO_INCOMPLETO",
  "MALA_CALIDAD",
  "DEMORA",
  "COBRO_INDEBIDO",
  "OTRO",
] as const;
export const DISPUTA_ESTADOS = ["ABIERTA", "RESUELTA"] as const;
export const RESOLUCIONES = ["LIBERAR", "REEMBOLSO_TOTAL", "REEMBOLSO_PARCIAL"] as const;
export type Resolucion = (typeof RESOLUCIONES)[number];

const disputeFields = {
  motivo: z.enum(DISPUTA_MOTIVOS),
  descripcion: z.string().trim().min(10).max(2000),
};
export const openDisputeSchema = z.object({ trabajo_id: z.guid(), ...disputeFields }).meta({
  id: "DisputaCrear",
});
/** `POST /chat_ofertas/trabajos/{id}/disputa`: the job comes from the path. */
export const openJobDisputeSchema = z.object(disputeFields).meta({ id: "DisputaCrearEnTrabajo" });
export const disputeMessageSchema = z.object({ texto: z.string().trim().min(1).max(2000) }).meta({
  id: "DisputaMensajeCrear",
});
export const resolveSchema = z.object({
  resolucion: z.enum(RESOLUCIONES),
  /** REEMBOLSO_PARCIAL only: what goes back to the client (more than 0, less than the price). */
  monto_reembolso: moneyAmount("El monto").nullish(),
  nota: z.string().trim().min(1).max(2000),
}).meta({ id: "DisputaResolver" });

export const adminListQuerySchema = z.object({
  page: integer.optional().transform((p) => Math.max(p ?? 1, 1)),
  limit: integer.optional().transform((l) => (l === undefined || l < 1 ? 20 : Math.min(l, 100))),
  estado: z.enum(DISPUTA_ESTADOS).optional(),
});

export const disputeMessageReadSchema = z.object({
  id: z.string(),
  disputa_id: z.string(),
  autor_id: z.string().nullable(),
  autor_nombre: z.string(),
  /** CLIENTE / PROFESIONAL (the job's parties) or ADMIN. */
  autor_rol: z.enum(["CLIENTE", "PROFESIONAL", "ADMIN", "SISTEMA"]),
  texto: z.string(),
  created_at: z.string(),
}).meta({ id: "DisputaMensaje" });

export const disputeReadSchema = z.object({
  id: z.string(),
  trabajo_id: z.string(),
  cliente_id: z.string(),
  profesional_id: z.string(),
  cliente_nombre: z.string(),
  profesional_nombre: z.string(),
  abierta_por: z.string(),
  motivo: z.enum(DISPUTA_MOTIVOS),
  descripcion: z.string(),
  evidencia: z.array(z.string()),
  estado: z.enum(DISPUTA_ESTADOS),
  resolucion: z.enum(RESOLUCIONES).nullable(),
  monto_reembolso: z.number().nullable(),
  nota_resolucion: z.string().nullable(),
  resuelta_por: z.string().nullable(),
  fecha_creacion: z.string(),
  fecha_resolucion: z.string().nullable(),
  trabajo_estado: z.enum(TRABAJO_ESTADOS),
  precio_final: z.number(),
}).meta({ id: "Disputa" });

export const disputeDetailSchema = disputeReadSchema.extend({
  mensajes: z.array(disputeMessageReadSchema),
}).meta({ id: "DisputaDetalle" });

export const disputePageSchema = z.object({
  items: z.array(disputeReadSchema),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
  pages: z.number().int(),
}).meta({ id: "DisputasPagina" });

export const resolvedSchema = z.object({
  disputa: disputeDetailSchema,
  monto_liberado: z.number().nullable(),
  comision: z.number().nullable(),
  monto_reembolso: z.number().nullable(),
  reembolso_id: z.string().nullable(),
  mensaje: z.string(),
}).meta({ id: "DisputaResuelta" });

export const evidenceUploadedSchema = z.object({
  url: z.string(),
  evidencia: z.array(z.string()),
}).meta({ id: "DisputaEvidencia" });

export type DisputeRead = z.infer<typeof disputeReadSchema>;
export type DisputeDetail = z.infer<typeof disputeDetailSchema>;
export type DisputeMessageRead = z.infer<typeof disputeMessageReadSchema>;
