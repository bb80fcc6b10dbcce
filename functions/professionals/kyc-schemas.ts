import { z } from "zod";
import { kycDocumentSchema } from "./kyc-review.ts";
import { profileReadSchema } from "./profile.ts";
import { entityId, timestamp } from "./wire.ts";

/** Request and response schemas of the KYC routes (`routes/kyc.ts`). */

export const urlsSchema = z.object({
  dni_frente_url: z.url().max(2000),
  dni_dorso_url: z.url().max(2000).nullable().optional(),
  selfie_url: z.url().max(2000).nullable().optional(),
});
export const rejectSchema = z.object({
  reason: z.string().trim().max(1000).nullable().optional(),
  razon: z.string().trim().max(1000).nullable().optional(),
  motivo: z.string().trim().max(1000).nullable().optional(),
});

export const submittedSchema = z.object({
  status: z.literal("ok"),
  message: z.string(),
  estado_verificacion: z.literal("EN_REVISION"),
  envio_id: entityId,
  documentos: z.int().describe("How many documents were recorded"),
});
export const kycStatusSchema = profileReadSchema.extend({
  motivo_rechazo: z.string().nullable(),
  fecha_envio: timestamp.nullable(),
  fecha_revision: timestamp.nullable(),
  documentos: z.array(kycDocumentSchema).describe("Everything I sent, newest first"),
}).meta({ id: "KycStatus" });
export const approvedSchema = z.object({
  status: z.literal("aprobado"),
  profesional_id: entityId,
  estado_verificacion: z.literal("APROBADO"),
  message: z.string(),
});
export const rejectedSchema = z.object({
  status: z.literal("rechazado"),
  profesional_id: entityId,
  estado_verificacion: z.literal("RECHAZADO"),
  message: z.string(),
  reason: z.string().nullable(),
});

/**
 * Files (multipart `files`, parsed by the handler: the checks answer 400/413/422 as the original)
 * or, the JSON flavour, URLs of documents hosted elsewhere (validated by the route). Not
 * `required` for the library, or its JSON validator would also run on a multipart body; a
 * request with neither is answered by the handler.
 */
export const submissionBody = {
  content: {
    "multipart/form-data": {
      schema: {
        type: "object" as const,
        properties: {
          files: {
            type: "array" as const,
            items: { type: "string" as const, format: "binary" },
            description: "pdf, jpg, jpeg, png, txt; 1–10 files, 10 MB each",
          },
        },
        required: ["files"],
      },
    },
    "application/json": { schema: urlsSchema },
  },
};
