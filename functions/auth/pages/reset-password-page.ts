import type { OneTimeTokenState } from "../one-time-tokens.ts";
import { escapeHtml, message, renderPage, section } from "./page-shell.ts";

/**
 * `/reset-password?token=…`, where the reset e-mail links: a valid link shows the new-password
 * form (the script posts it to `POST /auth/reset-password`); an expired, used or broken one says
 * which, and offers to send a new link (`POST /auth/forgot-password`), as does the page without
 * a token — so "forgot your password?" needs no frontend page either.
 *
 * States: form → done | gone (the link died meanwhile); expired | used | invalid | request →
 * requested.
 */
export type ResetPageState = "form" | "expired" | "used" | "invalid" | "request";

export function resetPageState(token: string | undefined, found: OneTimeTokenState | null): ResetPageState {
  if (!token) return "request";
  if (found === "valid") return "form";
  return found === "expired" || found === "used" ? found : "invalid";
}

export function resetPasswordPage(
  state: ResetPageState,
  options: { loginUrl: string; ttlMinutes: number },
): string {
  const askAgain = ["expired", "used", "invalid", "request", "gone"];
  const body = [
    section(
      ["form"],
      state,
      `${message("Elegí una contraseña nueva", "Usá al menos 8 caracteres que no sean fáciles de adivinar.")}
<form id="reset-form" novalidate>
<label for="password">Contraseña nueva</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required>
<label for="confirm">Repetí la contraseña</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="8" maxlength="128" required>
<p class="error" role="alert" hidden></p>
<button type="submit">Guardar contraseña</button>
<p class="hint">Al guardarla cerramos las sesiones que tengas abiertas.</p>
</form>`,
    ),
    section(
      ["done"],
      state,
      `${message("¡Listo! Tu contraseña cambió", "Ya podés iniciar sesión con la contraseña nueva.")}
<a class="button" href="${escapeHtml(options.loginUrl)}">Iniciar sesión</a>`,
    ),
    section(
      ["expired"],
      state,
      message(
        "Este enlace venció",
        `Los enlaces para restablecer la contraseña duran ${options.ttlMinutes} minutos. Pedí uno nuevo:`,
      ),
    ),
    section(
      ["used"],
      state,
      message(
        "Este enlace ya se usó",
        "Cada enlace sirve una sola vez, y pedir uno nuevo anula los anteriores. Si todavía necesitás " +
          "cambiar tu contraseña, pedí otro:",
      ),
    ),
    section(["gone"], state, message("Este enlace ya no sirve", "Venció o ya se usó. Pedí uno nuevo:")),
    section(
      ["invalid"],
      state,
      message("Este enlace no es válido", "Revisá que esté completo o pedí uno nuevo:"),
    ),
    section(
      ["request"],
      state,
      message("¿Olvidaste tu contraseña?", "Ingresá tu email y te mandamos un enlace para elegir una nueva."),
    ),
    section(
      askAgain,
      state,
      `<form id="request-form" novalidate>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" maxlength="255" required>
<p class="error" role="alert" hidden></p>
<button type="submit">Enviarme un enlace</button>
</form>`,
    ),
    section(
      ["requested"],
      state,
      message(
        "Revisá tu correo",
        "Si el email corresponde a una cuenta, te enviamos un enlace para elegir una contraseña nueva. " +
          "Puede tardar unos minutos; mirá también en spam.",
      ),
    ),
  ].join("\n");
  return renderPage({ title: "Restablecer contraseña", page: "reset", state, body });
}
