/**
 * The one e-mail layout: greeting, the notification's text, an optional button. Every value is
 * HTML-escaped (names and reasons come from people); a plain-text part goes along for clients
 * that do not render HTML.
 *
 * @example
 * renderEmail({ nombre: "Ana", titulo: "Tu trabajo comenzó", mensaje: "…", action: { label: "Ver", url } });
 */
export type EmailContent = {
  nombre: string;
  titulo: string;
  mensaje: string;
  action?: { label: string; url: string };
};

export function renderEmail(content: EmailContent): { html: string; text: string } {
  const e = escapeHtml;
  const button = content.action
    ? `<p style="margin:24px 0"><a href="${e(content.action.url)}" style="background:#1d4ed8;color:#fff;` +
      `padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${
        e(content.action.label)
      }</a></p>` +
      `<p style="font-size:13px;color:#52606d">Si el botón no funciona, copiá este enlace en tu navegador:<br>` +
      `<a href="${e(content.action.url)}">${e(content.action.url)}</a></p>`
    : "";
  const html =
    `<!doctype html><html lang="es"><body style="font-family:system-ui,sans-serif;color:#1f2933">` +
    `<div style="max-width:560px;margin:0 auto;padding:24px">` +
    `<h1 style="font-size:20px">${e(content.titulo)}</h1>` +
    `<p>Hola ${e(content.nombre)},</p><p>${e(content.mensaje)}</p>${button}` +
    `<p style="font-size:13px;color:#52606d;margin-top:32px">— El equipo de ConectarProfesionales</p>` +
    `</div></body></html>`;
  const text = [
    `Hola ${content.nombre},`,
    "",
    content.mensaje,
    ...(content.action ? ["", `${content.action.label}: ${content.action.url}`] : []),
    "",
    "— El equipo de ConectarProfesionales",
  ].join("\n");
  return { html, text };
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}
