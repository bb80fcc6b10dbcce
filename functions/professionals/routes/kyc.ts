import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { requireRole } from "../../../shared/auth.ts";
import { AppError } from "../../../shared/errors.ts";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate, validationError } from "../../../shared/validate.ts";
import {
  canTransition,
  type KycState,
  type NewDocument,
  submitKyc,
  submitRefused,
  transitionKyc,
} from "../kyc.ts";
import { documentsOf, reviewQueue } from "../kyc-review.ts";
import { ownProfileRow, profileRead, profileTrades } from "../profile.ts";
import { checkKycFiles, filesOf, KYC_MAX_BYTES, KYC_MAX_FILES, MB, safeFileName } from "../uploads.ts";

const urlsSchema = z.object({
  dni_frente_url: z.url().max(2000),
  dni_dorso_url: z.url().max(2000).nullable().optional(),
  selfie_url: z.url().max(2000).nullable().optional(),
});
const rejectSchema = z.object({
  reason: z.string().trim().max(1000).nullable().optional(),
  razon: z.string().trim().max(1000).nullable().optional(),
  motivo: z.string().trim().max(1000).nullable().optional(),
});
const idParam = z.object({ id: z.uuid() });

/** KYC: professionals send documents; admins review them (both path styles of the clients). */
export function registerKycRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const { db, storage, log, config } = platform;
  const pro = [platform.auth, requireRole("PROFESIONAL")] as const;
  const admin = [platform.auth, requireRole("ADMIN")] as const;
  const limit = bodyLimit({
    maxSize: KYC_MAX_FILES * KYC_MAX_BYTES + MB,
    onError: () => {
      throw new AppError("payload_too_large", `Máximo ${KYC_MAX_FILES} archivos de ${KYC_MAX_BYTES / MB} MB`);
    },
  });

  for (const path of ["/professional/kyc/upload", "/professional/kyc/submit"]) {
    app.post(path, ...pro, limit, async (c) => {
      const user = c.var.user;
      const profile = await db.asUser(user, (tx) => ownProfileRow(tx, user.id));
      const state = profile.estado_verificacion as KycState;
      if (!canTransition("submit", state)) throw submitRefused(state);
      const envioId = crypto.randomUUID();
      const multipart = (c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
      const { documents, stored } = multipart
        ? await storeFiles(c, profile.id, envioId)
        : { documents: urlDocuments(await jsonBody(c, urlsSchema)), stored: [] };
      try {
        await db.asService((tx) => submitKyc(tx, profile.id, envioId, documents));
      } catch (error) {
        await storage.remove("kyc", stored).catch((e) =>
          log.warn("could not remove KYC files", { request_id: c.var.requestId, error: String(e) })
        );
        throw error;
      }
      return c.json({
        status: "ok",
        message: "Archivos recibidos, en revisión.",
        estado_verificacion: "EN_REVISION",
        envio_id: envioId,
        documentos: documents.length,
      });
    });
    doc.describe({
      method: "post",
      path,
      summary: "Send identity documents (multipart `files`: pdf, jpg, jpeg, png, txt; 1–10, 10 MB each)",
      auth: ["PROFESIONAL"],
      bodyType: "multipart/form-data",
    });
  }

  async function storeFiles(c: Context<AppEnv>, profileId: string, envioId: string) {
    const body = await c.req.parseBody({ all: true }).catch(() => {
      throw new AppError("validation_failed", "El cuerpo multipart no es válido");
    });
    const files = checkKycFiles(filesOf(body.files ?? body["files[]"]));
    const paths = files.map((f, i) => `${profileId}/${envioId}/${i + 1}-${safeFileName(f.file.name)}`);
    const results = await Promise.allSettled(
      files.map(async (f, i) =>
        storage.upload("kyc", paths[i], new Uint8Array(await f.file.arrayBuffer()), {
          contentType: f.contentType,
        })
      ),
    );
    const failed = results.find((r) => r.status === "rejected");
    if (failed) {
      await storage.remove("kyc", paths.filter((_, i) => results[i].status === "fulfilled")).catch(() => {});
      throw (failed as PromiseRejectedResult).reason;
    }
    const documents: NewDocument[] = files.map((f, i) => ({
      nombre_archivo: f.file.name.slice(0, 255),
      content_type: f.contentType,
      tamano_bytes: f.file.size,
      storage_path: paths[i],
      url_externa: null,
    }));
    return { documents, stored: paths };
  }

  app.get("/professional/kyc/status", ...pro, async (c) => {
    const user = c.var.user;
    return c.json(
      await db.asUser(user, async (tx) => {
        const row = await ownProfileRow(tx, user.id);
        return {
          ...profileRead(row, await profileTrades(tx, row.id)),
          motivo_rechazo: row.kyc_motivo_rechazo,
          fecha_envio: row.kyc_fecha_envio,
          fecha_revision: row.kyc_fecha_revision,
          documentos: await documentsOf(tx, row.id),
        };
      }),
    );
  });
  doc.describe({
    method: "get",
    path: "/professional/kyc/status",
    summary: "My verification state",
    auth: ["PROFESIONAL"],
  });

  const queues: [string, KycState[]][] = [
    ["/admin/kyc/pendientes", ["EN_REVISION"]],
    ["/admin/kyc/pending", ["EN_REVISION", "PENDIENTE"]],
  ];
  for (const [path, states] of queues) {
    app.get(path, ...admin, async (c) => {
      const ttlSeconds = config.KYC_SIGNED_URL_TTL_SECONDS;
      return c.json(await db.asUser(c.var.user, (tx) => reviewQueue(tx, { states, storage, ttlSeconds })));
    });
    doc.describe({
      method: "get",
      path,
      summary: `KYC review queue (${states.join(", ")}), documents as short-lived signed URLs`,
      auth: ["ADMIN"],
    });
  }

  for (const path of ["/admin/kyc/approve/:id", "/admin/kyc/:id/approve"]) {
    const method = path.startsWith("/admin/kyc/approve") ? "post" : "put";
    app.on(method.toUpperCase(), path, ...admin, validate("param", idParam), async (c) => {
      const { id } = c.req.valid("param");
      await db.asService((tx) => transitionKyc(tx, id, "approve", { reviewerId: c.var.user.id }));
      return c.json({
        status: "aprobado",
        profesional_id: id,
        estado_verificacion: "APROBADO",
        message: "KYC aprobado correctamente",
      });
    });
    doc.describe({
      method,
      path,
      summary: "Approve a professional (any state)",
      auth: ["ADMIN"],
      params: idParam,
    });
  }

  for (const path of ["/admin/kyc/reject/:id", "/admin/kyc/:id/reject"]) {
    const method = path.startsWith("/admin/kyc/reject") ? "post" : "put";
    app.on(method.toUpperCase(), path, ...admin, validate("param", idParam), async (c) => {
      const { id } = c.req.valid("param");
      const body = await jsonBody(c, rejectSchema, { optional: true });
      const reason = body.reason ?? body.razon ?? body.motivo ?? null;
      await db.asService((tx) => transitionKyc(tx, id, "reject", { reviewerId: c.var.user.id, reason }));
      return c.json({
        status: "rechazado",
        profesional_id: id,
        estado_verificacion: "RECHAZADO",
        message: "KYC rechazado",
        reason,
      });
    });
    doc.describe({
      method,
      path,
      summary: "Reject a professional, with an optional stored reason",
      auth: ["ADMIN"],
      params: idParam,
      body: rejectSchema,
    });
  }
}

function urlDocuments(body: z.output<typeof urlsSchema>): NewDocument[] {
  const entries: [string, string | null | undefined][] = [
    ["dni_frente", body.dni_frente_url],
    ["dni_dorso", body.dni_dorso_url],
    ["selfie", body.selfie_url],
  ];
  return entries.filter(([, url]) => url).map(([name, url]) => ({
    nombre_archivo: name,
    content_type: "text/uri-list",
    tamano_bytes: null,
    storage_path: null,
    url_externa: url!,
  }));
}

/** A JSON body validated with `schema`; `optional` accepts an empty body as `{}`. */
async function jsonBody<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
  options: { optional?: boolean } = {},
): Promise<z.output<S>> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim() || !options.optional) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError("validation_failed", "El cuerpo de la solicitud no es JSON válido");
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, "body");
  return parsed.data;
}
