import { z } from "zod";
import type { AuthUser } from "../../../shared/auth-user.ts";
import { AppError } from "../../../shared/errors.ts";
import type { ChatOffersPlatform } from "../config.ts";
import {
  createRoute,
  errorSchema,
  idParamsFor,
  json,
  jsonBody,
  type ServiceApp,
} from "../../../shared/route.ts";
import { runJobAction, updateJob } from "../job-actions.ts";
import type { JobAction, Transitioned } from "../job-transitions.ts";
import {
  cancelBodySchema,
  cancelResponseSchema,
  finalizarResponseSchema,
  listQuerySchema,
  trabajoReadSchema,
  updateJobSchema,
} from "../marketplace-schemas.ts";
import { type JobFilter, type PaymentLinker, readJob, readJobs } from "../marketplace-views.ts";
import { requireClientOf } from "./client-only.ts";

/**
 * Jobs on every path the clients call (compatibility.md rows 43–49): lists, detail, the
 * frontend's `PUT {estado}` (start / complete / approve), the monolith's finalizar and cancel,
 * the frontend's cancel, and the admin's list and cancel. Each mutation is one action of
 * `job-transitions.ts`; responses carry the TrabajoRead superset (C5).
 */
export const jobParams = idParamsFor("Trabajo no encontrado");
const jobList = z.array(trabajoReadSchema);
const notFound = json(errorSchema, "Trabajo no encontrado");
const forbidden = json(errorSchema, "Este trabajo no te pertenece / not the party this change belongs to");
const wrongState = json(errorSchema, "Not allowed from the job's state (detail names it)");
const optionalJson = <S extends z.ZodType>(schema: S) => ({
  required: false,
  content: { "application/json": { schema } },
});
const updatedSchema = trabajoReadSchema.extend({
  /** Set when the change was the approval (the release's commission). */
  comision: z.number().nullable(),
}).meta({ id: "TrabajoActualizado" });

const money = (n: number) => `$${n.toFixed(2)}`;

export function registerJobRoutes(app: ServiceApp, platform: ChatOffersPlatform, link: PaymentLinker) {
  const { db } = platform;
  const render = async (user: AuthUser, id: string) => {
    const job = await db.asUser(user, (tx) => readJob(tx, id, { viewer: user.id, link }));
    if (!job) throw new AppError("not_found", "Trabajo no encontrado");
    return job;
  };

  const lists: {
    path: string;
    filter: JobFilter["kind"];
    access: "signed-in" | ["PROFESIONAL"] | ["ADMIN"];
  }[] = [
    { path: "/cliente/trabajos", filter: "cliente", access: "signed-in" },
    { path: "/professional/trabajos", filter: "profesional", access: ["PROFESIONAL"] },
    { path: "/chat_ofertas/trabajos", filter: "party", access: "signed-in" },
    { path: "/trabajos", filter: "party", access: "signed-in" },
    { path: "/admin/trabajos", filter: "all", access: ["ADMIN"] },
  ];
  for (const { path, filter, access } of lists) {
    app.openapi(
      createRoute({
        method: "get",
        path,
        summary: filter === "all"
          ? "Every job, newest first (bare array; `page`/`limit` ≤ 100; X-Total-Count)"
          : `My jobs (${filter}), newest first (bare array; \`page\`/\`limit\` ≤ 100; X-Total-Count)`,
        ...platform.access(access),
        request: { query: listQuerySchema },
        responses: { 200: json(jobList, "Jobs, newest first") },
      }),
      async (c) => {
        const user = c.var.user;
        const page = c.req.valid("query");
        const where = (filter === "all" ? { kind: "all" } : { kind: filter, me: user.id }) as JobFilter;
        const { items, total } = await db.asUser(
          user,
          (tx) => readJobs(tx, where, { viewer: user.id, link, page }),
        );
        c.header("X-Total-Count", String(total));
        return c.json(items, 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/cliente/trabajo/{id}",
      summary: "One job of mine as its client (404 → 403 for anyone else)",
      ...platform.access("signed-in"),
      request: { params: jobParams },
      responses: { 200: json(trabajoReadSchema, "The job"), 403: forbidden, 404: notFound },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await requireClientOf(db, c.var.user, { table: "trabajos", id }, {
        notFound: "Trabajo no encontrado",
        forbidden: "Este trabajo no te pertenece",
      });
      return c.json(await render(c.var.user, id), 200);
    },
  );

  for (const path of ["/chat_ofertas/trabajos/{id}", "/trabajos/{id}"]) {
    app.openapi(
      createRoute({
        method: "get",
        path,
        summary: "One job: its client, its professional or an admin",
        ...platform.access("signed-in"),
        request: { params: jobParams },
        responses: { 200: json(trabajoReadSchema, "The job"), 404: notFound },
      }),
      async (c) => c.json(await render(c.var.user, c.req.valid("param").id), 200),
    );
  }

  for (
    const path of ["/chat_ofertas/trabajos/{id}", "/trabajos/{id}/status"]
  ) {
    app.openapi(
      createRoute({
        method: "put",
        path,
        summary:
          "Move my job: pro EN_PROCESO (from PAGADO) / COMPLETADO (from EN_PROCESO); client APROBADO " +
          "(from COMPLETADO, releases the payment); either CANCELADO (FE cancel rules)",
        ...platform.access("signed-in"),
        request: { params: jobParams, body: jsonBody(updateJobSchema) },
        responses: {
          200: json(updatedSchema, "The job after the change"),
          400: wrongState,
          403: forbidden,
          404: notFound,
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        const done = await updateJob(db, c.var.user, id, c.req.valid("json"));
        const job = await render(c.var.user, id);
        return c.json({ ...job, comision: done.release?.comision ?? null }, 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: "post",
      path: "/cliente/trabajo/{id}/finalizar",
      summary:
        "The monolith's finalizar: approve a paid job (escrow PAGADO_EN_ESCROW) and release the payment",
      ...platform.access("signed-in"),
      request: { params: jobParams },
      responses: {
        200: json(finalizarResponseSchema, "Released"),
        400: wrongState,
        403: forbidden,
        404: notFound,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const done = await runJobAction(db, c.var.user, id, "finalizar");
      const release = done.release!;
      return c.json({
        trabajo: await render(c.var.user, id),
        payout_id: release.event_id,
        monto_liberado: release.monto_liberado,
        comision: release.comision,
        mensaje: `Trabajo finalizado exitosamente. Se liberaron ${
          money(release.monto_liberado)
        } al profesional.`,
      }, 200);
    },
  );

  const cancels: { path: string; action: JobAction; access: "signed-in" | ["ADMIN"]; summary: string }[] = [
    {
      path: "/cliente/trabajo/{id}/cancelar",
      action: "cancelar_cliente",
      access: "signed-in",
      summary: "The monolith's client cancel: a paid job (PAGADO_EN_ESCROW), refunded in full",
    },
    {
      path: "/chat_ofertas/trabajos/{id}/cancelar",
      action: "cancelar",
      access: "signed-in",
      summary: "Cancel my job (client or pro): PENDIENTE_PAGO without refund, PAGADO / EN_PROCESO refunded",
    },
    {
      path: "/admin/trabajo/{id}/cancelar",
      action: "cancelar_admin",
      access: ["ADMIN"],
      summary: "Admin cancel of a paid job (PAGADO_EN_ESCROW), refunded in full to the client",
    },
  ];
  for (const { path, action, access, summary } of cancels) {
    app.openapi(
      createRoute({
        method: "post",
        path,
        summary,
        ...platform.access(access),
        request: { params: jobParams, body: optionalJson(cancelBodySchema) },
        responses: {
          200: json(cancelResponseSchema, "Cancelled"),
          400: wrongState,
          403: forbidden,
          404: notFound,
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        const body = c.req.valid("json");
        const motivo = body?.motivo ?? body?.razon ?? null;
        const done = await runJobAction(db, c.var.user, id, action, motivo);
        return c.json({
          trabajo: await render(c.var.user, id),
          refund_id: done.refund?.reembolso_id ?? null,
          mensaje: cancelMessage(done, action),
        }, 200);
      },
    );
  }
}

function cancelMessage(done: Transitioned, action: JobAction): string {
  if (!done.refund) return "Trabajo cancelado. No había pagos que reembolsar.";
  const to = action === "cancelar_admin" ? "al cliente" : "a tu cuenta";
  return `Trabajo cancelado. Se reembolsarán $${done.refund.monto.toFixed(2)} ${to}.`;
}
