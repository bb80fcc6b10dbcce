import { z } from "zod";
import { moneyAmount } from "../../shared/validation.ts";
import { cbuProblem, cbuProblemText, isCvu, isValidAlias, isValidCuit } from "./cbu.ts";

/**
 * Schemas of the professionals' money routes (balance, history, bank account, withdrawals) and
 * the admin's money dashboards. Amounts are JSON numbers (numeric(12,2) in SQL).
 */
const integer = z.string().trim().regex(/^-?\d+$/, "Debe ser un número entero").transform(Number);

export const payoutPageQuerySchema = z.object({
  page: integer.optional().transform((p) => Math.max(p ?? 1, 1)),
  limit: integer.optional().transform((l) => (l === undefined || l < 1 ? 20 : Math.min(l, 100))),
});

const day = z.string().trim().regex(
  /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/,
  "Debe ser una fecha (AAAA-MM-DD)",
).refine((s) => !Number.isNaN(Date.parse(s)), "Debe ser una fecha válida");

export const historyQuerySchema = payoutPageQuerySchema.extend({
  tipo: z.enum(["ingreso", "egreso", "comision"]).optional(),
  desde: day.optional(),
  hasta: day.optional(),
});

const money = z.number();

export const balanceSchema = z.object({
  disponible: money,
  pendiente: money,
  total_ganado: money,
  total_comisiones: money,
  trabajos_completados: z.number().int(),
  /** What the ledger owes them (disponible + en_retiros). */
  saldo: money,
  /** Held by withdrawals not yet paid or rejected. */
  en_retiros: money,
});

export const movementSchema = z.object({
  id: z.string(),
  tipo: z.enum(["ingreso", "egreso"]),
  descripcion: z.string(),
  monto: money,
  comision_plataforma: money.nullable(),
  monto_bruto: money.nullable(),
  estado: z.enum(["pendiente", "completado", "cancelado"]),
  fecha_creacion: z.string(),
  cliente_nombre: z.string().nullable(),
  trabajo_id: z.string().nullable(),
  retiro_id: z.string().nullable(),
});

export const historySchema = z.object({
  movimientos: z.array(movementSchema),
  total: z.number().int(),
  resumen: z.object({ total_ingresos: money, total_egresos: money, total_comisiones: money }),
  page: z.number().int(),
  limit: z.number().int(),
  pages: z.number().int(),
});

const digitsOnly = (s: string) => s.replace(/[\s.-]/g, "");

/**
 * The frontend's `{tipo_cuenta: "cbu"|"alias", cbu?, alias?, titular, banco}`; `cvu` and
 * `cuit`/`cuil` too. A CBU/CVU must pass BCRA's check digits; an alias 6–20 letters, digits,
 * dots, hyphens. Spaces and hyphens in a pasted CBU or CUIT are ignored.
 */
export const bankAccountInputSchema = z.object({
  tipo_cuenta: z.string().trim().toLowerCase().pipe(z.enum(["cbu", "cvu", "alias"])).optional(),
  cbu: z.string().transform(digitsOnly).optional().nullable(),
  cvu: z.string().transform(digitsOnly).optional().nullable(),
  alias: z.string().trim().optional().nullable(),
  titular: z.string().trim().min(2, "Indicá el titular de la cuenta").max(120),
  banco: z.string().trim().max(120).optional().nullable(),
  cuit: z.string().transform(digitsOnly).optional().nullable(),
  cuil: z.string().transform(digitsOnly).optional().nullable(),
}).superRefine((v, ctx) => {
  const number = v.cbu || v.cvu;
  const wantsAlias = v.tipo_cuenta === "alias" || (!v.tipo_cuenta && !number && !!v.alias);
  if (wantsAlias) {
    if (!v.alias || !isValidAlias(v.alias)) {
      ctx.addIssue({
        code: "custom",
        path: ["alias"],
        message: "El alias debe tener entre 6 y 20 caracteres: letras, números, puntos o guiones",
      });
    }
  } else if (!number) {
    ctx.addIssue({ code: "custom", path: ["cbu"], message: "Indicá un CBU, un CVU o un alias" });
  } else {
    const problem = cbuProblem(number);
    const kind = v.tipo_cuenta === "cvu" || isCvu(number) ? "CVU" : "CBU";
    if (problem) {
      ctx.addIssue({ code: "custom", path: [v.cbu ? "cbu" : "cvu"], message: cbuProblemText(problem, kind) });
    }
  }
  const cuit = v.cuit || v.cuil;
  if (cuit && !isValidCuit(cuit)) {
    ctx.addIssue({
      code: "custom",
      path: [v.cuit ? "cuit" : "cuil"],
      message: "El CUIT/CUIL no es válido (11 dígitos con su dígito verificador)",
    });
  }
});

export type BankAccountInput = z.infer<typeof bankAccountInputSchema>;

export const bankAccountSchema = z.object({
  tipo_cuenta: z.enum(["cbu", "cvu", "alias"]),
  /** Only the last 4 digits: the full CBU/CVU is never shown back. */
  cbu_oculto: z.string().nullable(),
  alias: z.string().nullable(),
  titular: z.string(),
  banco: z.string().nullable(),
  cuit_oculto: z.string().nullable(),
  fecha_creacion: z.string(),
  fecha_actualizacion: z.string(),
});

export const withdrawalInputSchema = z.object({ monto: moneyAmount("El monto") });

export const withdrawalSchema = z.object({
  id: z.string(),
  usuario_id: z.string(),
  monto: money,
  estado: z.enum(["SOLICITADO", "APROBADO", "PAGADO", "RECHAZADO"]),
  tipo_cuenta: z.enum(["cbu", "cvu", "alias"]),
  /** Masked (last 4 characters). */
  cuenta_destino: z.string(),
  titular: z.string(),
  motivo_rechazo: z.string().nullable(),
  fecha_solicitud: z.string(),
  fecha_aprobacion: z.string().nullable(),
  fecha_procesado: z.string().nullable(),
  fecha_rechazo: z.string().nullable(),
});

export const adminWithdrawalSchema = withdrawalSchema.extend({
  profesional_nombre: z.string().nullable(),
  profesional_email: z.string().nullable(),
});

const pageOf = <S extends z.ZodType>(item: S) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
    pages: z.number().int(),
  });

export const withdrawalPageSchema = pageOf(withdrawalSchema);
export const adminWithdrawalPageSchema = pageOf(adminWithdrawalSchema);

export const adminWithdrawalQuerySchema = payoutPageQuerySchema.extend({
  estado: z.string().trim().toUpperCase().pipe(z.enum(["SOLICITADO", "APROBADO", "PAGADO", "RECHAZADO"]))
    .optional(),
});

export const rejectInputSchema = z.object({
  motivo: z.string().trim().min(3, "Indicá el motivo del rechazo (al menos 3 caracteres)").max(500),
});

export const payInputSchema = z.object({
  /** The operator's transfer reference (optional). */
  referencia: z.string().trim().max(200).optional(),
});

export const paymentsDashboardSchema = z.object({
  total_transacciones: z.number().int(),
  total_monto_procesado: money,
  total_comisiones: money,
  pagos_pendientes: z.number().int(),
  retiros_pendientes: z.number().int(),
  ingresos_ultimo_mes: money,
});

export const financialMetricsSchema = z.object({
  total_facturado: money,
  comision_total: money,
  trabajos_completados: z.number().int(),
});

export const dashboardStatsSchema = z.object({
  trabajos: z.object({
    total: z.number().int(),
    pendientes_pago: z.number().int(),
    en_escrow: z.number().int(),
    completados: z.number().int(),
    cancelados: z.number().int(),
  }),
  finanzas: z.object({
    total_ingresos: money,
    total_comisiones: money,
    dinero_en_escrow: money,
    total_liberado: money,
  }),
});
