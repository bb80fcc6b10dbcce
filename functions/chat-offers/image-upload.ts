import { AppError } from "../../shared/errors.ts";
import { refuseUnsafeUpload } from "../../shared/upload-content.ts";

/**
 * The rules a job photo and a dispute's evidence image share (the portfolio's: jpg/jpeg/png/gif/
 * webp by extension, 5 MB, not empty, no markup), so both uploads answer the same errors.
 */
const IMAGE_TYPES: Readonly<Record<string, string>> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".gif": "image/gif",
  ".webp": "image/webp",
};
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;

/** The file's lower-case extension and content type once it passed the checks; throws the 4xx otherwise. */
export async function checkImage(
  file: File | undefined,
): Promise<{ file: File; extension: string; contentType: string }> {
  if (!file || !file.name) throw new AppError("validation_failed", "Falta el archivo (campo file)");
  const extension = /(\.[A-Za-z0-9]+)$/.exec(file.name.trim())?.[1].toLowerCase() ?? "";
  const contentType = IMAGE_TYPES[extension];
  if (!contentType) {
    throw new AppError("bad_request", `Formato no permitido. Usa: ${Object.keys(IMAGE_TYPES).join(", ")}`);
  }
  if (file.size > IMAGE_MAX_BYTES) {
    throw new AppError("payload_too_large", `El archivo "${file.name}" supera el máximo de 5 MB`);
  }
  await refuseUnsafeUpload(file);
  return { file, extension, contentType };
}
