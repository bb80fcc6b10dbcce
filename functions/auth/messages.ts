import { AppError } from "../../shared/errors.ts";

/** The original's exact texts where clients and tests read them; the rest in the same voice. */
export const MESSAGES = {
  badCredentials: "Email o contraseña incorrectos",
  accountDisabled: "Tu cuenta ha sido desactivada. Contacta al administrador para más información.",
  emailTaken: "El email ya está registrado",
  invalidToken: "Token inválido o expirado",
  forgotPassword: "Si el email existe, recibirás instrucciones para resetear tu contraseña.",
  passwordReset: "Contraseña actualizada exitosamente. Ya puedes iniciar sesión.",
  passwordChanged: "Contraseña actualizada exitosamente",
  wrongCurrentPassword: "La contraseña actual es incorrecta",
  samePassword: "La nueva contraseña debe ser diferente a la actual",
  userNotFound: "Usuario no encontrado",
  loggedOut: "Sesión cerrada",
  loggedOutEverywhere: "Se cerraron todas tus sesiones",
  verificationSent: "Te enviamos un email para verificar tu dirección.",
  alreadyVerified: "Tu email ya está verificado.",
  emailVerified: "Email verificado exitosamente.",
} as const;

export const badCredentials = () => new AppError("unauthorized", MESSAGES.badCredentials);
export const accountDisabled = () => new AppError("unauthorized", MESSAGES.accountDisabled);
export const invalidOneTimeToken = () => new AppError("bad_request", MESSAGES.invalidToken);

/** `?token=` appended to a configured page URL (the frontend's reset / verification page). */
export function linkWithToken(base: string, token: string): string {
  const url = new URL(base);
  url.searchParams.set("token", token);
  return url.toString();
}
