import { z } from "zod";
// The 10,000 most frequent passwords of zxcvbn's list (Xato corpus; MIT, © Dan Wheeler and
// Dropbox), lower-cased, keeping those of 8+ characters (shorter ones fail the length rule anyway).
import COMMON_PASSWORDS from "./common-passwords.json" with { type: "json" };

/**
 * The rules every new password follows (register, change, reset, admin bootstrap): 8 to 128
 * characters — 8 is the original's minimum, which its clients and tests rely on — not one of the
 * most common passwords, and not made of repeated or sequential characters (NIST SP 800-63B
 * §5.1.1.2 names both lists: "commonly-used, expected, or compromised" values, "repetitive or
 * sequential characters (e.g. 'aaaaaa', '1234abcd')").
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

const common = new Set<string>(COMMON_PASSWORDS);

export function isCommonPassword(password: string): boolean {
  return common.has(password.toLowerCase());
}

/** Sequences a guesser walks first: the alphabet, digits (also …890) and the keyboard's letter rows. */
const SEQUENCES = [
  "abcdefghijklmnopqrstuvwxyz",
  "0123456789",
  "1234567890",
  "qwertyuiop",
  "asdfghjkl",
  "zxcvbnm",
];

/**
 * One character repeated, a unit of two or three repeated three times or more (`ababab`,
 * `123123123`), or a straight walk (`abcd`, `4321`, `qwer`). Two characters are always a run.
 */
function isPredictableRun(run: string[]): boolean {
  if (run.length < 3) return true;
  for (let unit = 1; unit <= 3; unit++) {
    if (run.length >= 3 * unit && run.every((c, i) => i < unit || c === run[i - unit])) return true;
  }
  return SEQUENCES.some((sequence) => {
    const at = run.map((c) => sequence.indexOf(c));
    if (at.includes(-1)) return false;
    const step = at[1] - at[0];
    return Math.abs(step) === 1 && at.every((p, i) => i === 0 || p - at[i - 1] === step);
  });
}

/**
 * True for passwords made of at most two predictable runs: `aaaaaaaa`, `12345678`, `abcdefgh`,
 * `qwertyui`, `98765432`, `abababab`, `aaaa1111` and NIST's own `1234abcd`. Ordinary words
 * and the original's test passwords (`Password123!`, `Test1234!`) are not.
 */
export function isRepetitiveOrSequential(password: string): boolean {
  const chars = [...password.toLowerCase()];
  for (let split = 1; split <= chars.length; split++) {
    if (isPredictableRun(chars.slice(0, split)) && isPredictableRun(chars.slice(split))) return true;
  }
  return false;
}

export const newPasswordSchema = z
  .string({ error: "La contraseña es obligatoria" })
  .min(PASSWORD_MIN_LENGTH, { error: `La contraseña debe tener al menos ${PASSWORD_MIN_LENGTH} caracteres` })
  .max(PASSWORD_MAX_LENGTH, { error: `La contraseña puede tener hasta ${PASSWORD_MAX_LENGTH} caracteres` })
  .refine((p) => !isCommonPassword(p), {
    error: "La contraseña es demasiado común: elegí una más difícil de adivinar",
  })
  .refine((p) => !isRepetitiveOrSequential(p), {
    error: "La contraseña no puede ser una repetición o secuencia de caracteres (como aaaaaaaa, 12345678 " +
      "o qwertyui): elegí una más difícil de adivinar",
  });

/** A password being checked (login, current password): any non-empty string of sane size. */
export const presentedPasswordSchema = z
  .string({ error: "La contraseña es obligatoria" })
  .min(1, { error: "La contraseña es obligatoria" })
  .max(1024, { error: "La contraseña es demasiado larga" });
