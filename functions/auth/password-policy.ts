import { z } from "zod";
// The 10,000 most frequent passwords of zxcvbn's list (Xato corpus; MIT, © Dan Wheeler and
// Dropbox), lower-cased, keeping those of 8+ characters (shorter ones fail the length rule anyway).
import COMMON_PASSWORDS from "./common-passwords.json" with { type: "json" };

/**
 * The rules every new password follows (register, change, reset, admin bootstrap): 8 to 128
 * characters — 8 is the original's minimum, which its clients and tests rely on — and not one of
 * the most common passwords (NIST SP 800-63B §5.1.1.2).
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

const common = new Set<string>(COMMON_PASSWORDS);

export function isCommonPassword(password: string): boolean {
  return common.has(password.toLowerCase());
}

export const newPasswordSchema = z
  .string({ error: "La contraseña es obligatoria" })
  .min(PASSWORD_MIN_LENGTH, { error: `La contraseña debe tener al menos ${PASSWORD_MIN_LENGTH} caracteres` })
  .max(PASSWORD_MAX_LENGTH, { error: `La contraseña puede tener hasta ${PASSWORD_MAX_LENGTH} caracteres` })
  .refine((p) => !isCommonPassword(p), {
    error: "La contraseña es demasiado común: elegí una más difícil de adivinar",
  });

/** A password being checked (login, current password): any non-empty string of sane size. */
export const presentedPasswordSchema = z
  .string({ error: "La contraseña es obligatoria" })
  .min(1, { error: "La contraseña es obligatoria" })
  .max(1024, { error: "La contraseña es demasiado larga" });
