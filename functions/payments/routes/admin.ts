import type { PaymentsPlatform } from "../config.ts";
import { anomalyColumns, type AnomalyRow, toAnomalyRead } from "../anomalies.ts";
import { AppError } from "../../../shared/errors.ts";
import { createRoute, errorSchema, idParamsFor, json, type ServiceApp } from "../../../shared/route.ts";
import { recordPayment } from "../apply-payment.ts";
import { anomaliesQuerySchema, anomalyPageSchema, paidJobSchema } from "../schemas.ts";

type JobRow = {
  id: string;
  oferta_id: string;
  servicio_instant_id: string | null;
  chat_id: string | null;
  cliente_id: string;
  profesional_id: string;
  descripcion: string;
  precio_final: string;
  estado: string;
  estado_escrow: string;
  mercadopago_payment_id: string | null;
  fecha_pago: Date | null;
  comision_plataforma: string | null;
  monto_liberado: string | null;
  fecha_creacion: Date;
  fecha_actualizacion: Date;
};

/** Admin tools: the payment anomalies found by webhooks and reconciliation, and `simular-pago`. */
export function registerAdminRoutes(app: ServiceApp, platform: PaymentsPlatform) {
  const { db } = platform;

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/pagos/anomalias",
      summary: "Payment anomalies (amount mismatch, unknown reference, late payment, external refund…)",
      ...platform.access(["ADMIN"]),
      request: { query: anomaliesQuerySchema },
      responses: { 200: json(anomalyPageSchema, "One page of anomalies, newest first") },
    }),
    async (c) => {
      const { page, limit, estado, tipo } = c.req.valid("query");
      const { rows, total } = await db.asUser(c.var.user, async (tx) => {
        const filter = tx`where (${estado ?? null}::text is null or estado = ${estado ?? null})
          and (${tipo ?? null}::text is null or tipo = ${tipo ?? null})`;
        const [{ count }] = await tx<{ count: number }[]>`
          select count(*)::int as count from public.pago_anomalias ${filter}`;
        const rows = await tx<AnomalyRow[]>`
          select ${anomalyColumns(tx)}
          from public.pago_anomalias ${filter}
          order by created_at desc, id
          limit ${limit} offset ${(page - 1) * limit}`;
        return { rows, total: count };
      });
      return c.json({
        items: rows.map(toAnomalyRead),
        total,
        page,
        limit,
        pages: Math.ceil(total / limit),
      }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/admin/trabajo/{id}/simular-pago",
      summary: "Mark a job paid as if MercadoPago approved it (same code as a real payment)",
      ...platform.access(["ADMIN"]),
      request: { params: idParamsFor("Trabajo no encontrado") },
      responses: {
        200: json(paidJobSchema, "The job, now PAGADO / PAGADO_EN_ESCROW"),
        400: json(errorSchema, "The job is not PENDIENTE_PAGO"),
        404: json(errorSchema, "No such job"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const job = await db.asService(async (tx) => {
        // Locked: a payment arriving meanwhile waits for this simulation, so the state read here
        // is the one the 400 names.
        const readState = () =>
          tx<{ estado: string; estado_escrow: string; precio_final: string }[]>`
            select estado::text as estado, estado_escrow::text as estado_escrow, precio_final::text as precio_final
            from public.trabajos where id = ${id} for update`;
        // The monolith's text names the escrow state (it had no other).
        const notPending = (job: { estado: string; estado_escrow: string }) =>
          new AppError(
            "bad_request",
            `El trabajo debe estar en PENDIENTE_PAGO. Estado actual: ${job.estado_escrow} (${job.estado})`,
          );
        const [job] = await readState();
        if (!job) throw new AppError("not_found", "Trabajo no encontrado");
        if (job.estado !== "PENDIENTE_PAGO") throw notPending(job);
        // A payment that never touched MercadoPago, shaped like one it approved.
        const result = await recordPayment(tx, {
          id: `SIM-${crypto.randomUUID()}`,
          status: "approved",
          statusDetail: "accredited",
          externalReference: id,
          amount: Number(job.precio_final),
          amountRefunded: 0,
          currency: "ARS",
          dateCreated: new Date().toISOString(),
          dateApproved: new Date().toISOString(),
          paymentMethodId: "simulado",
          paymentTypeId: "simulado",
        }, "simulacion");
        // Not applied (the job changed after all): roll back this simulation and its anomaly.
        if (result.outcome !== "applied") throw notPending((await readState())[0]);
        const [row] = await tx<JobRow[]>`
          select id, oferta_id, servicio_instant_id, chat_id, cliente_id, profesional_id, descripcion,
            precio_final::text as precio_final, estado::text as estado, estado_escrow::text as estado_escrow,
            mercadopago_payment_id, fecha_pago, comision_plataforma::text as comision_plataforma,
            monto_liberado::text as monto_liberado, fecha_creacion, fecha_actualizacion
          from public.trabajos where id = ${id}`;
        return row;
      });
      return c.json({
        id: job.id,
        trabajo_id: job.id,
        oferta_id: job.oferta_id,
        servicio_instant_id: job.servicio_instant_id,
        chat_id: job.chat_id,
        cliente_id: job.cliente_id,
        profesional_id: job.profesional_id,
        descripcion: job.descripcion,
        precio_final: Number(job.precio_final),
        precio: Number(job.precio_final),
        estado: job.estado,
        estado_escrow: job.estado_escrow,
        mercadopago_payment_id: job.mercadopago_payment_id,
        fecha_pago: job.fecha_pago?.toISOString() ?? null,
        comision_plataforma: job.comision_plataforma === null ? null : Number(job.comision_plataforma),
        monto_liberado: job.monto_liberado === null ? null : Number(job.monto_liberado),
        fecha_creacion: job.fecha_creacion.toISOString(),
        fecha_actualizacion: job.fecha_actualizacion.toISOString(),
        created_at: job.fecha_creacion.toISOString(),
        updated_at: job.fecha_actualizacion.toISOString(),
      }, 200);
    },
  );
}
