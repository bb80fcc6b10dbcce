import type { Context } from "hono";
import { uploadLimit } from "../../../shared/body-limit.ts";
import { AppError } from "../../../shared/errors.ts";
import { IMAGE_MAX_BYTES } from "../image-upload.ts";

/**
 * The request side of the two image uploads (a job's photos, a dispute's evidence): the body
 * limit and where the file is read from, so both routes accept and refuse the same requests.
 */

/** The body limit: a 5 MB image plus room for the multipart envelope; larger → 413 before parsing. */
export function imageBodyLimit() {
  return uploadLimit({
    maxSize: IMAGE_MAX_BYTES + 1024 * 1024,
    onError: () => {
      throw new AppError("payload_too_large", "La imagen supera el máximo de 5 MB");
    },
  });
}

/** The uploaded file, from the field `file` (or the monolith's `imagen` / `image`); undefined when none. */
export async function formImage(c: Context): Promise<File | undefined> {
  const form = await c.req.parseBody({ all: true }).catch(() => ({} as Record<string, unknown>));
  const value = form.file ?? form.imagen ?? form.image;
  return (Array.isArray(value) ? value : [value]).find((v): v is File => v instanceof File);
}
