import { createHash } from "node:crypto";
import { PAGE_SCRIPT } from "./page-script.ts";

/**
 * The frame of the small pages auth serves at the API's origin for the links in its e-mails
 * (`/reset-password`, `/verify-email`): one static stylesheet and one static script, allowed by
 * hash in a strict Content-Security-Policy, and the headers a page carrying a secret in its URL
 * needs — no referrer (the token must not leak to any link's target), no caching, no indexing.
 * Only fixed texts and configured URLs are interpolated, always escaped; the token is never
 * written into the page: the script reads it from the address bar and then removes it from there.
 */
const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
 font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f5f9;color:#1f2937}
main{width:100%;max-width:26rem;margin:1.5rem;padding:2rem;background:#fff;border-radius:12px;
 box-shadow:0 4px 24px rgba(15,23,42,.08)}
.brand{margin:0 0 1.25rem;font-weight:700;color:#2563eb;letter-spacing:.01em}
h1{margin:0 0 .5rem;font-size:1.35rem;line-height:1.3}
h1:focus{outline:none}
p{margin:.5rem 0 1rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600;font-size:.95rem}
input{width:100%;padding:.65rem .75rem;border:1px solid #cbd5e1;border-radius:8px;font:inherit}
input:focus{outline:2px solid #93c5fd;border-color:#2563eb}
button,.button{display:inline-block;width:100%;margin-top:1.25rem;padding:.7rem 1rem;border:0;border-radius:8px;
 background:#2563eb;color:#fff;font:inherit;font-weight:600;text-align:center;text-decoration:none;cursor:pointer}
button:disabled{opacity:.6;cursor:wait}
.hint{color:#64748b;font-size:.9rem}
.error{color:#b91c1c;font-weight:600}
.ok{color:#047857}
[hidden]{display:none!important}
`;

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/** Everything the page may load or reach: its own style and script, and this origin's API. */
const CSP = [
  "default-src 'none'",
  `script-src ${sha256(PAGE_SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const PAGE_HEADERS = {
  "content-security-policy": CSP,
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "x-robots-tag": "noindex, nofollow",
} as const;

/** `&`, `<`, `>`, quotes → entities: configured values stay text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A whole document. `body` is trusted markup built by the page modules (escape what varies);
 * `page` and `state` tell the script which page it runs and what the server found.
 */
export function renderPage(options: { title: string; page: string; state: string; body: string }): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(options.title)} · ConectarProfesionales</title>
<style>${STYLE}</style>
</head>
<body>
<main data-page="${escapeHtml(options.page)}" data-state="${escapeHtml(options.state)}">
<p class="brand">ConectarProfesionales</p>
${options.body}
<noscript><p class="error">Esta página necesita JavaScript activado.</p></noscript>
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>`;
}

/** A part of a page shown in some of its states (the server picks the first; the script may move on). */
export function section(states: string[], current: string, inner: string): string {
  const hidden = states.includes(current) ? "" : " hidden";
  return `<section data-for="${states.join(" ")}"${hidden}>${inner}</section>`;
}

/** A state's heading (focusable, so the script can move screen readers to it) and its text. */
export function message(title: string, text: string): string {
  return `<h1 tabindex="-1">${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`;
}
