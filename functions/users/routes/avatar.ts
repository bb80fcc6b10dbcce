import { uploadLimit } from "../../../shared/body-limit.ts";
import { AppError } from "../../../shared/errors.ts";
import type { UsersPlatform } from "../config.ts";
import { createRoute, errorSchema, json, multipartBody, type ServiceApp } from "../../../shared/route.ts";
import { AVATAR_MAX_BYTES, replaceAvatar, tooLarge } from "../avatar.ts";
import { findUser } from "../user-queries.ts";
import { toUserRead, userReadSchema } from "../../../shared/user-read.ts";
import { userNotFound } from "./me.ts";

/** Room for the multipart envelope around a file of the maximum size. */
const ENVELOPE_BYTES = 64 * 1024;

/** POST /users/me/avatar: multipart `file`, an image by extension, at most 5 MB. */
export function registerAvatarRoutes(app: ServiceApp, platform: UsersPlatform) {
  const guarded = platform.access("signed-in");
  const limit = uploadLimit({
    maxSize: AVATAR_MAX_BYTES + ENVELOPE_BYTES,
    onError: () => {
      throw tooLarge();
    },
  });
  app.openapi(
    createRoute({
      method: "post",
      path: "/users/me/avatar",
      summary: "Upload (or replace) the avatar: .jpg .jpeg .png .gif .webp, at most 5 MB",
      ...guarded,
      middleware: [...guarded.middleware, limit],
      request: { body: multipartBody({ file: "The image" }) },
      responses: {
        200: json(userReadSchema, "UserRead with an absolute avatar_url"),
        400: json(errorSchema, "Format not allowed / no file name / empty file / HTML, SVG or XML content"),
        413: json(errorSchema, "Larger than 5 MB"),
      },
    }),
    async (c) => {
      const user = c.var.user;
      await replaceAvatar(platform, user, await avatarFile(c.req.raw));
      const row = await platform.db.asUser(user, (tx) => findUser(tx, user.id));
      if (!row) throw userNotFound();
      return c.json(toUserRead(row), 200);
    },
  );
}

/** The `file` part: missing → 422 (as FastAPI's `File(...)`); present but nameless → 400. */
async function avatarFile(request: Request): Promise<File> {
  const type = request.headers.get("content-type") ?? "";
  const form = type.startsWith("multipart/form-data") ? await request.formData().catch(() => null) : null;
  const file = form?.get("file");
  if (file === undefined || file === null || typeof file === "string") {
    throw new AppError("validation_failed", "Datos inválidos — file: se requiere un archivo", {
      errors: [{ loc: ["body", "file"], msg: "Se requiere un archivo", type: "missing" }],
    });
  }
  if (!file.name) throw new AppError("bad_request", "Archivo no proporcionado");
  return file;
}
