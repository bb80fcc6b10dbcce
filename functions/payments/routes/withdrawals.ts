import { z } from "zod";
import { AppError } from "../../../shared/errors.ts";
import type { PaymentsPlatform } from "../config.ts";
import {
  createRoute,
  errorSchema,
  idParamsFor,
  json,
  jsonBody,
  type ServiceApp,
} from "../../../shared/route.ts";
import {
  adminWithdrawalPageSchema,
  adminWithdrawalQuerySchema,
  adminWithdrawalSchema,
  payInputSchema,
  payoutPageQuerySchema,
  rejectInputSchema,
  withdrawalInputSchema,
  withdrawalPageSchema,
  withdrawalSchema,
} from "../payout-schemas.ts";
import {
  approvedForExport,
  csvField,
  findAdminWithdrawal,
  listWithdrawals,
  requestWithdrawal,
  toAdminWithdrawal,
  toWithdrawal,
  type Transition,
  transitionWithdrawal,
} from "../withdrawal-store.ts";

const withdrawalParams = idParamsFor("Retiro no encontrado");

/**
 * Withdrawals: the professional asks (`POST /pagos/retiros`, ≤ available, ≥ PAYOUT_MIN_AMOUNT,
 * needs an account), an admin approves or rejects, pays by the CSV export (or any transfer), and
 * marks it paid, which books the RETIRO ledger entry. Every transition is one SQL function call.
 */
export function registerWithdrawalRoutes(app: ServiceApp, platform: PaymentsPlatform) {
  const { db } = platform;
  const professionalOnly = platform.access(["PROFESIONAL"]);
  const adminOnly = platform.access(["ADMIN"]);

  app.openapi(
    createRoute({
      method: "post",
      path: "/pagos/retiros",
      summary: "Request a withdrawal of `monto` to my account (held until paid or rejected)",
      ...professionalOnly,
      request: { body: jsonBody(withdrawalInputSchema) },
      responses: {
        200: json(withdrawalSchema, "The withdrawal, SOLICITADO"),
        400: json(errorSchema, "No account, under the minimum, or more than available"),
      },
    }),
    async (c) => {
      const { monto } = c.req.valid("json");
      const me = c.var.user.id;
      const row = await db.asService((tx) =>
        requestWithdrawal(tx, me, monto, platform.config.PAYOUT_MIN_AMOUNT)
      );
      platform.log.info("payout requested", {
        request_id: c.var.requestId,
        usuario_id: me,
        retiro_id: row!.id,
      });
      return c.json(toWithdrawal(row!), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/pagos/retiros",
      summary: "My withdrawals, newest first",
      ...professionalOnly,
      request: { query: payoutPageQuerySchema },
      responses: { 200: json(withdrawalPageSchema, "One page of my withdrawals") },
    }),
    async (c) => {
      const { page, limit } = c.req.valid("query");
      const me = c.var.user.id;
      const { rows, total } = await db.asUser(
        c.var.user,
        (tx) => listWithdrawals(tx, { usuarioId: me, page, limit }),
      );
      const pages = Math.max(1, Math.ceil(total / limit));
      return c.json({ items: rows.map(toWithdrawal), total, page, limit, pages }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/pagos/retiros",
      summary: "Withdrawals of everyone, newest first (optionally by estado)",
      ...adminOnly,
      request: { query: adminWithdrawalQuerySchema },
      responses: { 200: json(adminWithdrawalPageSchema, "One page of withdrawals") },
    }),
    async (c) => {
      const { page, limit, estado } = c.req.valid("query");
      const { rows, total } = await db.asUser(
        c.var.user,
        (tx) => listWithdrawals(tx, { estado, page, limit }),
      );
      const pages = Math.max(1, Math.ceil(total / limit));
      return c.json({ items: rows.map(toAdminWithdrawal), total, page, limit, pages }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/pagos/retiros/export.csv",
      summary: "Approved withdrawals as a CSV the operator can execute (full CBU/CVU/alias; never cached)",
      ...adminOnly,
      responses: {
        200: {
          description: "retiro_id, tipo, cbu_cvu_alias, titular, cuit, banco, monto, email, aprobado",
          content: { "text/csv": { schema: z.string() } },
        },
      },
    }),
    async (c) => {
      const rows = await db.asUser(c.var.user, (tx) => approvedForExport(tx));
      const header = "retiro_id,tipo,cbu_cvu_alias,titular,cuit,banco,monto,email,aprobado";
      const lines = rows.map((r) =>
        [
          r.id,
          r.destino_tipo,
          r.destino,
          r.titular,
          r.cuit,
          r.banco,
          Number(r.monto).toFixed(2),
          r.email,
          r.approved_at.toISOString(),
        ].map(csvField).join(",")
      );
      // Counts only: the destinations in this file are never logged.
      platform.log.info("payout export", {
        request_id: c.var.requestId,
        by: c.var.user.id,
        rows: rows.length,
      });
      const date = new Date().toISOString().slice(0, 10);
      return new Response([header, ...lines].join("\r\n") + "\r\n", {
        status: 200,
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="retiros-aprobados-${date}.csv"`,
          "cache-control": "no-store",
          pragma: "no-cache",
        },
      });
    },
  );

  const transitions: { action: Transition; path: string; summary: string }[] = [
    { action: "APROBAR", path: "aprobar", summary: "Approve a SOLICITADO withdrawal" },
    {
      action: "RECHAZAR",
      path: "rechazar",
      summary: "Reject a SOLICITADO or APROBADO withdrawal ({motivo})",
    },
    {
      action: "PAGAR",
      path: "pagar",
      summary: "Mark an APROBADO withdrawal paid (books the RETIRO ledger entry)",
    },
  ];
  for (const t of transitions) {
    const body = t.action === "RECHAZAR"
      ? jsonBody(rejectInputSchema)
      : { required: false, content: { "application/json": { schema: payInputSchema } } };
    app.openapi(
      createRoute({
        method: "post",
        path: `/admin/pagos/retiros/{id}/${t.path}`,
        summary: t.summary,
        ...adminOnly,
        request: { params: withdrawalParams, body },
        responses: {
          200: json(adminWithdrawalSchema, "The withdrawal in its new state"),
          400: json(errorSchema, "Not allowed from its current state (named in the detail)"),
          404: json(errorSchema, "No such withdrawal"),
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        const input = (c.req.valid("json") ?? {}) as { motivo?: string; referencia?: string };
        const admin = c.var.user.id;
        const row = await db.asService(async (tx) => {
          await transitionWithdrawal(tx, id, t.action, admin, input);
          return await findAdminWithdrawal(tx, id);
        });
        if (!row) throw new AppError("not_found", "Retiro no encontrado");
        platform.log.info("payout transition", {
          request_id: c.var.requestId,
          retiro_id: id,
          action: t.action,
        });
        return c.json(toAdminWithdrawal(row), 200);
      },
    );
  }
}
