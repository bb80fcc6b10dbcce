import { z } from "zod";

/** Request and response schemas of the payments routes (one definition per route feeds the docs). */
const integer = z.string().trim().regex(/^-?\d+$/, "Debe ser un número entero").transform(Number);

export const crearPagoSchema = z.object({
  trabajo_id: z.guid({ error: "trabajo_id debe ser un id de trabajo" }),
  // Sent by the frontend; the amount always comes from the job, never from the request.
  monto: z.number().optional(),
  descripcion: z.string().optional(),
  metodo_pago: z.string().optional(),
});

export const checkoutSchema = z.object({
  trabajo_id: z.string(),
  preference_id: z.string(),
  init_point: z.string(),
  payment_url: z.string(),
});

/** MercadoPago's notification query: `?data.id=<id>&type=payment` (IPN's `topic`/`id` too). */
export const webhookQuerySchema = z.object({
  "data.id": z.string().optional(),
  type: z.string().optional(),
  topic: z.string().optional(),
  id: z.string().optional(),
});

export const webhookResultSchema = z.object({
  status: z.enum(["ok", "error"]),
  message: z.string(),
  trabajo_id: z.string().nullable().optional(),
  resultado: z.string().optional(),
});

export const reconcileResultSchema = z.object({
  revisados: z.number().int(),
  aplicados: z.number().int(),
  anomalias: z.number().int(),
  errores: z.number().int(),
  /** The ledger-vs-MercadoPago report: applied payments compared, and those that disagreed. */
  conciliados: z.number().int(),
  discrepancias: z.number().int(),
});

export const resolveAnomalySchema = z.object({
  nota: z.string().trim().min(3).max(1000),
});

export const pageQuerySchema = z.object({
  page: integer.optional().transform((p) => Math.max(p ?? 1, 1)),
  limit: integer.optional().transform((l) => (l === undefined || l < 1 ? 20 : Math.min(l, 100))),
});

export const anomaliesQuerySchema = pageQuerySchema.extend({
  estado: z.enum(["ABIERTA", "RESUELTA"]).optional(),
  tipo: z.string().optional(),
});

export const anomalySchema = z.object({
  id: z.string(),
  tipo: z.string(),
  estado: z.string(),
  mp_payment_id: z.string().nullable(),
  trabajo_id: z.string().nullable(),
  detalle: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  resuelta_at: z.string().nullable(),
  resuelta_por: z.string().nullable(),
  nota_resolucion: z.string().nullable(),
});

export const anomalyPageSchema = z.object({
  items: z.array(anomalySchema),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
  pages: z.number().int(),
});

/** What `simular-pago` answers: the job's payment side (the jobs function owns TrabajoRead). */
/** The monolith's TrabajoRead fields (compatibility.md §1.3), the job as the payment left it. */
export const paidJobSchema = z.object({
  id: z.string(),
  trabajo_id: z.string(),
  oferta_id: z.string(),
  servicio_instant_id: z.string().nullable(),
  chat_id: z.string().nullable(),
  cliente_id: z.string(),
  profesional_id: z.string(),
  descripcion: z.string(),
  precio_final: z.number(),
  precio: z.number().describe("Same value as precio_final"),
  estado: z.string(),
  estado_escrow: z.string(),
  mercadopago_payment_id: z.string().nullable(),
  fecha_pago: z.string().nullable(),
  comision_plataforma: z.number().nullable(),
  monto_liberado: z.number().nullable(),
  fecha_creacion: z.string(),
  fecha_actualizacion: z.string(),
  created_at: z.string().describe("Same value as fecha_creacion"),
  updated_at: z.string().describe("Same value as fecha_actualizacion"),
});
