import type { OneTimeTokenState } from "../one-time-tokens.ts";
import { escapeHtml, message, renderPage, section } from "./page-shell.ts";

/**
 * `/verify-email?token=…`, where the verification e-mail links: with a live link the script
 * confirms it at once through `POST /auth/verify-email` and the page says so, linking to the
 * frontend; an expired, used or broken link says which.
 *
 * States: checking → done | gone | error; expired | used | invalid.
 */
export type VerifyPageState = "checking" | "expired" | "used" | "invalid";

export function verifyPageState(token: string | undefined, found: OneTimeTokenState | null): VerifyPageState {
  if (found === "valid" && token) return "checking";
  return found === "expired" || found === "used" ? found : "invalid";
}

export function verifyEmailPage(
  state: VerifyPageState,
  options: { frontendUrl: string; ttlHours: number },
): string {
  const goOn = `<a class="button" href="${escapeHtml(options.frontendUrl)}">Ir a ConectarProfesionales</a>`;
  const body = [
    section(["checking"], state, message("Confirmando tu correo…", "Un momento, por favor.")),
    section(
      ["done"],
      state,
      `${
        message("¡Tu correo quedó confirmado!", "Gracias. Ya podés seguir usando ConectarProfesionales.")
      }${goOn}`,
    ),
    section(
      ["used"],
      state,
      message(
        "Este enlace ya se usó",
        "Cada enlace sirve una sola vez: si ya lo abriste, tu correo está confirmado. Si pediste otro " +
          "después, usá el del último email.",
      ),
    ),
    section(
      ["expired"],
      state,
      message(
        "Este enlace venció",
        `Los enlaces de confirmación duran ${options.ttlHours} horas. Iniciá sesión en ConectarProfesionales ` +
          "y pedí uno nuevo.",
      ),
    ),
    section(
      ["gone"],
      state,
      message("Este enlace ya no sirve", "Venció o ya se usó. Si ya lo abriste, tu correo está confirmado."),
    ),
    section(["invalid"], state, message("Este enlace no es válido", "Revisá que esté completo.")),
    section(
      ["error"],
      state,
      `<h1 tabindex="-1">No pudimos confirmar tu correo</h1><p id="verify-error" class="error"></p>`,
    ),
    section(["used", "expired", "gone", "invalid", "error"], state, goOn),
  ].join("\n");
  return renderPage({ title: "Confirmar correo", page: "verify", state, body });
}
