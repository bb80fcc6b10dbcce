import type { AuthUser } from "../../shared/auth.ts";
import type { Db } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/log.ts";
import type { Storage } from "../../shared/storage.ts";
import { refuseUnsafeUpload } from "../../shared/upload-content.ts";
import type { UsuarioRow } from "../../shared/user-read.ts";

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;

/** Accepted by extension, as the original (and its tests, which upload placeholder bytes). */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
};

export function tooLarge(): AppError {
  return new AppError("payload_too_large", "El archivo supera el tamaño máximo de 5 MB");
}

/** `Foto.JPG` → `{ extension: "jpg", contentType: "image/jpeg" }`; anything else → 400. */
export function imageKind(filename: string): { extension: string; contentType: string } {
  const extension = /\.([^./\\]+)$/.exec(filename)?.[1]?.toLowerCase() ?? "";
  const contentType = CONTENT_TYPES[extension];
  if (!contentType) {
    const allowed = Object.keys(CONTENT_TYPES).map((e) => `.${e}`).join(", ");
    throw new AppError("bad_request", `Formato no permitido. Usa: ${allowed}`);
  }
  return { extension, contentType };
}

/** `avatars/<user id>/avatar-<random>.<ext>`: a fresh name per upload, so caches never serve the old image. */
export function avatarPath(userId: string, extension: string): string {
  return `${userId}/avatar-${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}.${extension}`;
}

/** The object behind one of this user's avatar URLs, or null for anything else (never ours to delete). */
export function ownAvatarPath(storage: Storage, userId: string, url: string | null): string | null {
  const prefix = storage.publicUrl("avatars", "");
  if (!url?.startsWith(prefix)) return null;
  const path = decodeURI(url.slice(prefix.length));
  return path.startsWith(`${userId}/`) && !path.includes("..") ? path : null;
}

type AvatarDeps = { db: Db; storage: Storage; log: Logger };

/**
 * Stores the new image, points the account at it, then removes the previous one. The row is
 * locked while it changes, so concurrent uploads each remove exactly the image they replaced.
 */
export async function replaceAvatar(deps: AvatarDeps, user: AuthUser, file: File): Promise<void> {
  const kind = imageKind(file.name);
  if (file.size > AVATAR_MAX_BYTES) throw tooLarge();
  await refuseUnsafeUpload(file);
  const path = avatarPath(user.id, kind.extension);
  await deps.storage.upload("avatars", path, file, { contentType: kind.contentType }).catch((error) => {
    deps.log.error("avatar upload failed", { user_id: user.id, error: String(error.cause ?? error) });
    throw error;
  });
  const url = deps.storage.publicUrl("avatars", path);
  let previous: string | null;
  try {
    // Service transaction with the owner filter: `avatar_url` is not a column users may write.
    previous = await deps.db.asService(async (tx) => {
      const [row] = await tx<Pick<UsuarioRow, "avatar_url">[]>`
        select avatar_url from public.usuarios where id = ${user.id} for update`;
      if (!row) throw new AppError("not_found", "Usuario no encontrado");
      await tx`update public.usuarios set avatar_url = ${url}, fecha_actualizacion = now() where id = ${user.id}`;
      return row.avatar_url;
    });
  } catch (error) {
    await removeQuietly(deps, path);
    throw error;
  }
  const old = ownAvatarPath(deps.storage, user.id, previous);
  if (old && old !== path) await removeQuietly(deps, old);
}

/** A leftover object costs little; failing the request over it would cost more. */
async function removeQuietly(deps: AvatarDeps, path: string) {
  try {
    await deps.storage.remove("avatars", [path]);
  } catch (error) {
    deps.log.warn("could not remove avatar object", { path, error: String((error as Error).cause ?? error) });
  }
}
