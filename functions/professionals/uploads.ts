import { AppError } from "../../shared/errors.ts";
import { refuseUnsafeUpload } from "../../shared/upload-content.ts";

/**
 * What uploads accept (API.md "Uploads"): portfolio images by extension (the existing tests
 * upload placeholder bytes), stored with their extension's content type, 5 MB each; KYC
 * documents pdf/jpg/jpeg/png/txt, 10 MB each, at most 10 per submission.
 */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".gif": "image/gif",
  ".webp": "image/webp",
};
export const KYC_TYPES: Readonly<Record<string, string>> = {
  ".pdf": "application/pdf",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".txt": "text/plain",
};
export const MB = 1024 * 1024;
export const IMAGE_MAX_BYTES = 5 * MB;
export const KYC_MAX_BYTES = 10 * MB;
export const KYC_MAX_FILES = 10;

/** `Foto Final.JPG` → `.jpg` ("" without an extension). */
export function extensionOf(filename: string): string {
  const match = /(\.[A-Za-z0-9]+)$/.exec(filename.trim());
  return match ? match[1].toLowerCase() : "";
}

export type CheckedFile = { file: File; extension: string; contentType: string };

/**
 * One file against an allow-list, a size limit and the shared content check: 400 for a missing
 * file, a disallowed type, an empty file or markup (HTML/SVG/XML) under an image or pdf name;
 * 413 for size.
 */
export async function checkFile(
  file: File | null | undefined,
  allowed: Readonly<Record<string, string>>,
  maxBytes: number,
): Promise<CheckedFile> {
  if (!file || !file.name) throw new AppError("bad_request", "Archivo no proporcionado");
  const extension = extensionOf(file.name);
  const contentType = allowed[extension];
  if (!contentType) {
    throw new AppError("bad_request", `Formato no permitido. Usa: ${Object.keys(allowed).join(", ")}`);
  }
  if (file.size > maxBytes) {
    throw new AppError(
      "payload_too_large",
      `El archivo "${file.name}" supera el máximo de ${maxBytes / MB} MB`,
    );
  }
  await refuseUnsafeUpload(file);
  return { file, extension, contentType };
}

/** A KYC submission: 1–10 files, each allowed, within size and not empty or markup. */
export async function checkKycFiles(files: File[]): Promise<CheckedFile[]> {
  if (files.length === 0) {
    throw new AppError("validation_failed", "Adjuntá al menos un archivo en el campo files");
  }
  if (files.length > KYC_MAX_FILES) {
    throw new AppError("bad_request", `Podés enviar como máximo ${KYC_MAX_FILES} archivos por vez`);
  }
  const checked: CheckedFile[] = [];
  // One at a time: the first bad file is the one the answer names.
  for (const f of files) checked.push(await checkFile(f, KYC_TYPES, KYC_MAX_BYTES));
  return checked;
}

/** A name safe as the last segment of an object path: `DNI frente (1).pdf` → `DNI_frente_1_.pdf`. */
export function safeFileName(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? "archivo";
  const cleaned = base.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z0-9._-]+/g, "_");
  return cleaned.replace(/^[._]+/, "").slice(-120) || "archivo";
}

/** The files of a multipart field (repeated or single); other values are ignored. */
export function filesOf(value: unknown): File[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is File => v instanceof File);
}
