/**
 * Detects and masks contact details in chat messages sent before a job is paid (API.md, Chat).
 * Unlike the original Cloud Function (original-system.md §6.4), which replaced the whole message and
 * matched any ".com" or "15", this masks only the detected spans and errs towards letting a message
 * through: a masked price or address breaks a negotiation, a missed contact costs one commission.
 *
 * Decisions worth knowing:
 * - "@" followed by a space ("nos vemos @ las 5") is never a handle; "@todos", "@las" are not either.
 * - The word "arroba" counts only inside an e-mail shape ("juan arroba gmail punto com"); alone
 *   ("una arroba de papas") or before a bare name it is left alone, unless a network name precedes it
 *   ("mi insta es arroba juanperez").
 * - Messenger names (whatsapp, wsp, telegram) are masked even without a number; social networks
 *   (instagram, facebook, tiktok) only with a value after them ("mi insta es juanperez").
 * - Words about contacts without a value ("te paso el teléfono cuando pagues") are not masked.
 */
import { type NormalizedText, normalizeForDetection } from "./contact-normalize.ts";
import { type ContactReason, findTextContacts, type Span } from "./contact-patterns.ts";

export type { ContactReason } from "./contact-patterns.ts";
export type MaskResult = { text: string; censored: boolean; reasons: ContactReason[] };

/** What replaces every detected span; Spanish because participants read it in the chat. */
export const CONTACT_MARKER = "[dato de contacto oculto]";
/** Chat messages are at most this long; the API rejects longer ones before they get here. */
export const MAX_MESSAGE_LENGTH = 2000;

const REASON_ORDER: readonly ContactReason[] = ["phone", "email", "link", "handle", "bank"];

// Between two digit groups of one number: "11 5555", "11-5555", "11.5555", "(011) 4555", "11 - 5555".
// No "/" (dates), no ":" (times), no "," (decimals, lists), no newline (two separate lines).
const DIGIT_GAP = /^ ?[.\-()]? ?$/;
// Dictated numbers are often comma-separated: "cinco, cinco, cuatro".
const WORD_DIGIT_GAP = /^ ?,? ?$/;
// A leading "+" or "(" belongs to the number: "+54 9 11 …", "(011) 4555 6666".
const BEFORE_RUN = /(?:\+ ?\(?|\()$/;
// A price or a measure sits right next to the number: "$ 15.000", "usd 1200 1500", "24000 kcal".
const CURRENCY_BEFORE = /(?:\$|\bars|\busd|\bu\$s|\bus\$|\beur|€) ?$/;
const UNIT_AFTER =
  /^ ?(?:pesos?|mil\b|millones?|k\b|hs\b|horas?|kg|km|mts?\b|m2|m3|cm|mm|kcal|frigorias|%|ars|usd|dolares|cuotas?|unidades)/;
// Cue words looked for in the 30 characters before a number (global: the last one wins).
const PHONE_CUE =
  /\b(?:tel|telefono|cel|celu|celular|movil|whats ?app|wsp|wpp|llam\w*|numero|fijo|contacto|linea)\b/g;
const ID_CUE =
  /\b(?:dni|cuit|cuil|documento|pedido|orden|factura|expediente|operacion|comprobante|presupuesto|reclamo|tramite|ticket|seguimiento|patente|matricula|cliente|codigo)\b/g;
const BANK_CUE = /\b(?:cbu|cvu|cuenta)\b/;
const CUE_WINDOW = 30;

type Group = { start: number; end: number; digits: string; fromWord: boolean };

function digitGroups(n: NormalizedText): Group[] {
  const groups: Group[] = [];
  for (const m of n.text.matchAll(/\d+/g)) {
    const end = m.index + m[0].length;
    // "14hs", "20m2", "3x": a digit group glued to letters on its right is a unit or a model.
    if (/[a-z]/.test(n.text[end] ?? "")) continue;
    groups.push({ start: m.index, end, digits: m[0], fromWord: n.fromWord[m.index] });
  }
  return groups;
}

function joinsRun(text: string, left: Group, right: Group): boolean {
  const gap = text.slice(left.end, right.start);
  return DIGIT_GAP.test(gap) || ((left.fromWord || right.fromWord) && WORD_DIGIT_GAP.test(gap));
}

/** Shapes of digits people negotiate with, which must never be read as a phone. */
function looksLikeQuantity(text: string, run: Group[], start: number, end: number): boolean {
  if (CURRENCY_BEFORE.test(text.slice(Math.max(0, start - 5), start))) return true;
  if (UNIT_AFTER.test(text.slice(end, end + 12))) return true;
  if (run.length < 2) return false;
  const [first, ...rest] = run;
  // "1.500.000.000": thousands separators, not a phone split.
  if (first.digits.length <= 3 && rest.every((g) => g.digits.length === 3)) return true;
  // "15000 20000 25000": a list of round prices.
  if (run.some((g) => g.digits.length >= 5 && g.digits.endsWith("00"))) return true;
  // "modelo 2020 2021 2022".
  if (run.filter((g) => /^(?:19|20)\d\d$/.test(g.digits)).length >= 2) return true;
  // "turnos 9 10 11 12 14": a counting list.
  return run.length >= 4 &&
    run.every((g, i) => g.digits.length <= 2 && (i === 0 || +g.digits > +run[i - 1].digits));
}

function lastIndex(text: string, pattern: RegExp): number {
  let index = -1;
  for (const m of text.matchAll(pattern)) index = m.index;
  return index;
}

function nearestCue(before: string): "phone" | "id" | undefined {
  const phone = lastIndex(before, PHONE_CUE);
  const id = lastIndex(before, ID_CUE);
  if (phone < 0 && id < 0) return undefined;
  return id > phone ? "id" : "phone";
}

// CUIT/CUIL "20-12345678-9": 11 digits that are a tax id, never a phone.
function isCuitShaped(run: Group[]): boolean {
  return run.length === 3 && run[0].digits.length === 2 && run[1].digits.length === 8 &&
    run[2].digits.length === 1;
}

function classifyRun(text: string, run: Group[], start: number): ContactReason | undefined {
  const end = run[run.length - 1].end;
  const count = run.reduce((sum, g) => sum + g.digits.length, 0);
  const before = text.slice(Math.max(0, start - CUE_WINDOW), start);
  // CBU/CVU are 22 digits; a couple more or less is still an account number someone mistyped.
  if (count >= 20 && count <= 24) return "bank";
  const international = text[start] === "+";
  if (!international && looksLikeQuantity(text, run, start, end)) return undefined;
  if (count >= 10 && BANK_CUE.test(before)) return "bank";
  // The closest cue word decides what kind of number follows: "DNI", "pedido" or "CUIT" rule out a
  // phone, "cel" or "llamame" make 8 digits enough (a local number without the area code).
  const cue = nearestCue(before);
  if (cue === "id" || isCuitShaped(run)) return undefined;
  if (count >= 10) return "phone";
  // Spelled-out digits are obfuscation by themselves, so 7 of them already make a number.
  if (count >= 7 && run.some((g) => g.fromWord)) return "phone";
  if (count >= 8 && cue === "phone") return "phone";
  return undefined;
}

function findNumberContacts(n: NormalizedText): Span[] {
  const spans: Span[] = [];
  const groups = digitGroups(n);
  let i = 0;
  while (i < groups.length) {
    let j = i;
    while (j + 1 < groups.length && joinsRun(n.text, groups[j], groups[j + 1])) j++;
    const run = groups.slice(i, j + 1);
    const lead = BEFORE_RUN.exec(n.text.slice(Math.max(0, run[0].start - 3), run[0].start));
    const start = run[0].start - (lead?.[0].length ?? 0);
    const reason = classifyRun(n.text, run, start);
    if (reason) spans.push({ start, end: run[j - i].end, reason });
    i = j + 1;
  }
  return spans;
}

/**
 * Drops spans lying inside another one, so the reasons describe what was hidden: the phone in
 * "wa.me/5491155554444" is part of a link, the domain in "juan (at) gmail.com" part of an e-mail.
 */
function outermost(spans: Span[]): Span[] {
  const live = spans.filter((s) => s.end > s.start);
  return live.filter((s, i) =>
    !live.some((t, k) =>
      k !== i && t.start <= s.start && s.end <= t.end && (t.end - t.start > s.end - s.start || k < i)
    )
  );
}

/**
 * Masks phones, e-mails, links, social handles and bank details (CBU/CVU, alias) in a chat message,
 * keeping the rest of the wording. Pure; detection is tuned to prefer a miss over masking a price,
 * a date or an address.
 *
 * @example
 * ```ts
 * maskContacts("llamame al 11 5555-4444 o escribime a juan@mail.com");
 * // { text: "llamame al [dato de contacto oculto] o escribime a [dato de contacto oculto]",
 * //   censored: true, reasons: ["phone", "email"] }
 * ```
 * @throws {RangeError} when `text` is longer than MAX_MESSAGE_LENGTH.
 */
export function maskContacts(text: string): MaskResult {
  if (text.length > MAX_MESSAGE_LENGTH) {
    throw new RangeError(
      `Cannot mask contacts: message is ${text.length} characters, the limit is ${MAX_MESSAGE_LENGTH}`,
    );
  }
  const n = normalizeForDetection(text);
  const found = outermost([...findNumberContacts(n), ...findTextContacts(n.text)])
    .map((s) => ({ start: n.start[s.start], end: n.end[s.end - 1], reason: s.reason }))
    .sort((a, b) => a.start - b.start);
  if (found.length === 0) return { text, censored: false, reasons: [] };

  // Touching or partly overlapping detections become one marker, so no fragment survives between two.
  const merged: { start: number; end: number }[] = [];
  for (const s of found) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ start: s.start, end: s.end });
  }
  let masked = "";
  let cursor = 0;
  for (const s of merged) {
    masked += text.slice(cursor, s.start) + CONTACT_MARKER;
    cursor = s.end;
  }
  masked += text.slice(cursor);
  const reasons = REASON_ORDER.filter((r) => found.some((s) => s.reason === r));
  return { text: masked, censored: true, reasons };
}
