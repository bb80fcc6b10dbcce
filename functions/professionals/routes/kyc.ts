import type { Context } from "hono";
import { uploadLimit } from "../../../shared/body-limit.ts";
import { z } from "zod";
import type { AppEnv } from "../../../shared/app-env.ts";
import { AppError } from "../../../shared/errors.ts";
import type { ProfessionalsPlatform } from "../config.ts";
import { createRoute, errorSchema, idParams, json, type ServiceApp } from "../../../shared/route.ts";
import {
  canTransition,
  type KycState,
  type NewDocument,
  submitKyc,
  submitRefused,
  transitionKyc,
} from "../kyc.ts";
import { documentsOf, reviewQueue, reviewQueueItemSchema } from "../kyc-review.ts";
import {
  approvedSchema,
  kycStatusSchema,
  rejectedSchema,
  rejectSchema,
  submissionBody,
  submittedSchema,
  type urlsSchema,
} from "../kyc-schemas.ts";
import { jsonBodyAnswers, MALFORMED_JSON, sendsJson } from "../json-body.ts";
import { ownProfileRow, profileRead, profileTrades } from "../profile.ts";
import { checkKycFiles, filesOf, KYC_MAX_BYTES, KYC_MAX_FILES, MB, safeFileName } from "../uploads.ts";
import { isoOrNull } from "../wire.ts";

/** KYC: professionals send documents; admins review them (both path styles of the clients). */
export function registerKycRoutes(app: ServiceApp, platform: ProfessionalsPlatform) {
  const { db, storage, log, config } = platform;
  const pro = platform.access(["PROFESIONAL"]);
  const admin = platform.access(["ADMIN"]);
  const limit = uploadLimit({
    maxSize: KYC_MAX_FILES * KYC_MAX_BYTES + MB,
    onError: () => {
      throw new AppError("payload_too_large", `Máximo ${KYC_MAX_FILES} archivos de ${KYC_MAX_BYTES / MB} MB`);
    },
  });

  for (const path of ["/professional/kyc/upload", "/professional/kyc/submit"]) {
    app.openapi(
      createRoute({
        method: "post",
        path,
        summary: "Send identity documents (multipart `files`: pdf, jpg, jpeg, png, txt; 1–10, 10 MB each)",
        ...pro,
        middleware: [...pro.middleware, limit, jsonBodyAnswers()],
        request: { body: submissionBody },
        responses: {
          200: json(submittedSchema, "Received: the profile is EN_REVISION"),
          400: json(
            errorSchema,
            "EN_REVISION or APROBADO already / format not allowed / empty or HTML, SVG, XML content / more than 10 files",
          ),
          413: json(errorSchema, "A file larger than 10 MB"),
        },
      }),
      async (c) => {
        const user = c.var.user;
        const profile = await db.asUser(user, (tx) => ownProfileRow(tx, user.id));
        const state = profile.estado_verificacion as KycState;
        if (!canTransition("submit", state)) throw submitRefused(state);
        const envioId = crypto.randomUUID();
        const type = c.req.header("content-type");
        const { documents, stored } = (type ?? "").toLowerCase().startsWith("multipart/form-data")
          ? await storeFiles(c, profile.id, envioId)
          : { documents: urlDocuments(jsonFlavour(validatedUrls(c), type)), stored: [] };
        try {
          await db.asService((tx) => submitKyc(tx, profile.id, envioId, documents));
        } catch (error) {
          await storage.remove("kyc", stored).catch((e) =>
            log.warn("could not remove KYC files", { request_id: c.var.requestId, error: String(e) })
          );
          throw error;
        }
        return c.json({
          status: "ok" as const,
          message: "Archivos recibidos, en revisión.",
          estado_verificacion: "EN_REVISION" as const,
          envio_id: envioId,
          documentos: documents.length,
        }, 200);
      },
    );
  }

  async function storeFiles(c: Context<AppEnv>, profileId: string, envioId: string) {
    const body = await c.req.parseBody({ all: true }).catch(() => {
      throw new AppError("validation_failed", "El cuerpo multipart no es válido");
    });
    const files = await checkKycFiles(filesOf(body.files ?? body["files[]"]));
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

  app.openapi(
    createRoute({
      method: "get",
      path: "/professional/kyc/status",
      summary: "My verification state",
      ...pro,
      responses: { 200: json(kycStatusSchema, "My profile with its KYC state and documents") },
    }),
    async (c) => {
      const user = c.var.user;
      return c.json(
        await db.asUser(user, async (tx) => {
          const row = await ownProfileRow(tx, user.id);
          return {
            ...profileRead(row, await profileTrades(tx, row.id)),
            motivo_rechazo: row.kyc_motivo_rechazo,
            fecha_envio: isoOrNull(row.kyc_fecha_envio),
            fecha_revision: isoOrNull(row.kyc_fecha_revision),
            documentos: await documentsOf(tx, row.id),
          };
        }),
        200,
      );
    },
  );

  const queues: [string, KycState[]][] = [
    ["/admin/kyc/pendientes", ["EN_REVISION"]],
    ["/admin/kyc/pending", ["EN_REVISION", "PENDIENTE"]],
  ];
  for (const [path, states] of queues) {
    app.openapi(
      createRoute({
        method: "get",
        path,
        summary: `KYC review queue (${states.join(", ")}), documents as short-lived signed URLs`,
        ...admin,
        responses: {
          200: json(z.array(reviewQueueItemSchema), "Professionals to review, in priority order"),
        },
      }),
      async (c) => {
        const ttlSeconds = config.KYC_SIGNED_URL_TTL_SECONDS;
        return c.json(
          await db.asUser(c.var.user, (tx) => reviewQueue(tx, { states, storage, ttlSeconds })),
          200,
        );
      },
    );
  }

  for (const path of ["/admin/kyc/approve/{id}", "/admin/kyc/{id}/approve"]) {
    app.openapi(
      createRoute({
        method: path.startsWith("/admin/kyc/approve") ? "post" : "put",
        path,
        summary: "Approve a professional (any state)",
        ...admin,
        request: { params: idParams },
        responses: {
          200: json(approvedSchema, "Approved"),
          404: json(errorSchema, "No such professional"),
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        await db.asService((tx) => transitionKyc(tx, id, "approve", { reviewerId: c.var.user.id }));
        return c.json({
          status: "aprobado" as const,
          profesional_id: id,
          estado_verificacion: "APROBADO" as const,
          message: "KYC aprobado correctamente",
        }, 200);
      },
    );
  }

  for (const path of ["/admin/kyc/reject/{id}", "/admin/kyc/{id}/reject"]) {
    app.openapi(
      createRoute({
        method: path.startsWith("/admin/kyc/reject") ? "post" : "put",
        path,
        summary: "Reject a professional, with an optional stored reason (`reason`, `razon` or `motivo`)",
        ...admin,
        middleware: [...admin.middleware, jsonBodyAnswers({ emptyIsObject: true })],
        request: {
          params: idParams,
          body: { required: false, content: { "application/json": { schema: rejectSchema } } },
        },
        responses: {
          200: json(rejectedSchema, "Rejected"),
          404: json(errorSchema, "No such professional"),
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        const body = c.req.valid("json");
        const reason = body.reason ?? body.razon ?? body.motivo ?? null;
        await db.asService((tx) => transitionKyc(tx, id, "reject", { reviewerId: c.var.user.id, reason }));
        return c.json({
          status: "rechazado" as const,
          profesional_id: id,
          estado_verificacion: "RECHAZADO" as const,
          message: "KYC rechazado",
          reason,
        }, 200);
      },
    );
  }
}

/**
 * The JSON flavour's body, validated by the route. Anything that is neither multipart nor JSON
 * (no body at all, a form) is answered as before: not valid JSON.
 */
function jsonFlavour<T>(body: T, contentType: string | undefined): T {
  if (!sendsJson(contentType)) throw new AppError("validation_failed", MALFORMED_JSON);
  return body;
}

/**
 * The JSON body the route validated with `urlsSchema` (`{}` when the request was not JSON). A
 * body with a non-zod media type (multipart, parsed by the handler) hides its type from
 * `c.req.valid`, hence the cast.
 */
function validatedUrls(c: Context<AppEnv>): z.output<typeof urlsSchema> {
  return c.req.valid("json" as never) as z.output<typeof urlsSchema>;
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
