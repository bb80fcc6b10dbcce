import { AppError } from "./errors.ts";

/**
 * The content check every upload passes (avatars, portfolio images, KYC documents), after its
 * own extension and size checks. Files are accepted by extension and the existing clients upload
 * placeholder bytes, so real image headers are NOT required; what is refused is an empty file and
 * content a browser would sniff as a page or a script (HTML, SVG, XML) — an `.png` that is really
 * `<svg onload=…>` would run as the bucket's origin wherever it is opened without our
 * `nosniff` header (a download, a mail client, a proxy that drops headers).
 *
 * @example
 * await refuseUnsafeUpload(file); // 400 "El archivo está vacío" / "…parece una página web…"
 */
export async function refuseUnsafeUpload(file: Blob & { name?: string }): Promise<void> {
  if (file.size === 0) throw new AppError("bad_request", emptyDetail(file.name));
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  if (looksLikeMarkup(head)) throw new AppError("bad_request", markupDetail(file.name));
}

/** How much of the file is looked at: markup that matters starts right at the beginning. */
export const SNIFF_BYTES = 512;

/**
 * True when `bytes` begin — after a byte-order mark and whitespace — with markup a browser would
 * render: the tags the WHATWG MIME sniffing algorithm treats as HTML, plus `<svg` and `<?xml`.
 * Case-insensitive; UTF-16 text (with its BOM) is decoded first.
 *
 * @example
 * looksLikeMarkup(new TextEncoder().encode("\uFEFF  <SVG xmlns=…>")); // true
 * looksLikeMarkup(new TextEncoder().encode("placeholder bytes")); // false
 */
export function looksLikeMarkup(bytes: Uint8Array): boolean {
  const text = decodeStart(bytes).replace(LEADING, "").toLowerCase();
  if (ALWAYS_MARKUP.some((start) => text.startsWith(start))) return true;
  // A tag name must end there (`<b>`, `<p class=…>`), so `<br…` text or `<a` in prose is not a tag.
  const tag = /^<([a-z0-9]+)[\s>/]/.exec(text)?.[1];
  return tag !== undefined && HTML_TAGS.has(tag);
}

const ALWAYS_MARKUP = ["<?xml", "<!doctype", "<!--", "<svg", "<html", "<script"];
// The WHATWG "HTML" patterns, then other tags that load or run something.
const HTML_TAGS = new Set(
  "head body iframe h1 div font table a style title b br p object embed meta img form math".split(" "),
);
// BOM (already stripped by the decoder, kept for safety), whitespace and NULs padding the start:
// the NUL is the point of this pattern, hence the control character.
// deno-lint-ignore no-control-regex
const LEADING = /^[\uFEFF\s\u0000]+/;

function decodeStart(bytes: Uint8Array): string {
  const [a, b] = bytes;
  const encoding = a === 0xff && b === 0xfe ? "utf-16le" : a === 0xfe && b === 0xff ? "utf-16be" : "utf-8";
  // `fatal: false`: binary images decode to replacement characters, which never look like a tag.
  return new TextDecoder(encoding).decode(bytes);
}

function emptyDetail(name: string | undefined): string {
  return name ? `El archivo "${name}" está vacío` : "El archivo está vacío";
}

function markupDetail(name: string | undefined): string {
  const file = name ? `El archivo "${name}"` : "El archivo";
  return `${file} parece una página web o un script (HTML, SVG o XML), no una imagen ni un documento`;
}
