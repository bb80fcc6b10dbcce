import { SPOKEN_AT } from "./contact-normalize.ts";

/**
 * Text detectors for e-mails, links, handles and bank aliases. They run on the normalized copy
 * (`normalizeForDetection`): lower case, no accents, "arroba" → SPOKEN_AT, "punto"/"[dot]" → ".".
 * Every quantifier is bounded or runs over a class disjoint from what follows it, so no pattern
 * can backtrack catastrophically on a 2000-character message.
 */
export type ContactReason = "phone" | "email" | "link" | "handle" | "bank";

/** A detected span in normalized-text offsets (end exclusive). */
export type Span = { start: number; end: number; reason: ContactReason };

const AT = `[@${SPOKEN_AT}]`;
// An e-mail local part: RFC-ish characters, starting at a word boundary we check with a lookbehind.
const LOCAL = String.raw`(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]{0,63}`;
const LABEL = String.raw`[a-z0-9][a-z0-9\-]{0,62}`;
// TLDs accepted when the address is spaced out ("juan @ mail . com"), where any word could follow.
const EMAIL_TLD = "com|net|org|ar|edu|gob|gov|io|info|es|co|me|app|dev|uy|cl|mx|br|us|live|xyz";
// TLDs for bare domains. A missing space after a full stop ("bueno.nos vemos", "ok.me voy") must not
// read as a domain, so only the TLDs people hand out here are accepted; ".com.ar" chains via labels.
const WEB_TLD = "com|net|org|ar|io|info|app|online|store|shop|site|xyz|dev|link";
const PATH = String.raw`(?:\/[^\s]*)?`;

const RULES: readonly { name: string; reason: ContactReason; pattern: RegExp }[] = [
  // "juan@mail.com", "juan.perez@empresa.com.ar": the unambiguous form, any TLD.
  {
    name: "email-compact",
    reason: "email",
    pattern: new RegExp(`${LOCAL}${AT}${LABEL}(?:\\.${LABEL}){0,4}\\.[a-z]{2,24}(?![a-z0-9])`, "g"),
  },
  // "juan @ mail . com", "juan arroba mail punto com", "juan (at) gmail.com": spaces allowed, known TLDs.
  {
    name: "email-spaced",
    reason: "email",
    pattern: new RegExp(
      `${LOCAL} {0,2}${AT} {0,2}${LABEL}(?: {0,2}\\. {0,2}${LABEL}){0,3} {0,2}\\. {0,2}(?:${EMAIL_TLD})(?![a-z0-9])`,
      "g",
    ),
  },
  // "juan arroba gmail": the provider alone is enough, nobody else is called "gmail".
  {
    name: "email-provider",
    reason: "email",
    pattern: new RegExp(
      `${LOCAL} {0,2}${AT} {0,2}(?:gmail|hotmail|yahoo|outlook|live|icloud|protonmail|proton)(?![a-z0-9])`,
      "g",
    ),
  },
  // "http://…", "https://…": everything up to the next whitespace; trailing punctuation is trimmed later.
  { name: "url-scheme", reason: "link", pattern: /\b(?:https?|ftp):\/\/[^\s]+/g },
  // "www.mipagina.com", "www punto mipagina punto com": "www." makes any TLD credible.
  {
    name: "url-www",
    reason: "link",
    pattern: new RegExp(`\\bwww\\d?\\.${LABEL}(?:\\.${LABEL}){0,5}${PATH}`, "g"),
  },
  // Short links and chat deep links whose TLD is not in WEB_TLD ("wa.me", "t.me", "bit.ly", "linktr.ee").
  {
    name: "url-short",
    reason: "link",
    pattern: new RegExp(
      `\\b(?:wa\\.me|wa\\.link|t\\.me|m\\.me|fb\\.me|bit\\.ly|linktr\\.ee|tinyurl\\.com|chat\\.whatsapp\\.com)${PATH}`,
      "g",
    ),
  },
  // "mipagina.com.ar", "instagram.com/juan", "facebook.com/…": bare domains with a known TLD.
  {
    name: "bare-domain",
    reason: "link",
    pattern: new RegExp(
      `(?<![a-z0-9@.\\-_${SPOKEN_AT}])(?:${LABEL}\\.){1,5}(?:${WEB_TLD})(?![a-z0-9\\-])${PATH}`,
      "g",
    ),
  },
  // Messenger names: in this chat their only use is to move the conversation off the platform,
  // so they are masked even without a number ("pasame tu whatsapp").
  {
    name: "messenger",
    reason: "handle",
    pattern: /\b(?:whats ?app|whatsap|whatsaap|wasap|wassap|guasap|whats|wsp|wpp|wapp|telegram)\b/g,
  },
];

/**
 * "@juanperez", "@juan_perez88". A literal "@" only: the normalizer turns a spoken "arroba" into
 * SPOKEN_AT so "una arroba de papas" is no handle, and "@ las 5" (space after) is never one.
 */
const HANDLE = /(?<![a-z0-9._%+\-@])@(?<value>[a-z0-9_][a-z0-9_.]{0,29})/g;

/**
 * A social network followed by a value: "mi insta es juanperez", "ig: juan.perez",
 * "buscame en instagram como juanperez". Judged by `acceptSocialValue`, because the same shape
 * also reads "lo vi en instagram ayer".
 */
const SOCIAL =
  /\b(?:instagram|insta|ig|facebook|face|fb|tiktok|tik tok|twitter|linkedin|snapchat|snap|telegram|threads)\b(?<sep> ?[:=] ?| (?:es|como) | )(?<at>[@\uE000] ?)?(?<value>[a-z0-9_][a-z0-9_.]{1,29})/g;

/** "alias: juan.perez.mp", "mi alias de mp es casa.perro.sol": Argentine transfer aliases. */
const ALIAS =
  /\balias\b(?<sep>(?: del? (?:mp|mercado ?pago|uala|banco|la cuenta|cuenta))? ?(?:[:=]|es)? ?)(?<value>[a-z0-9][a-z0-9.\-]{3,29})/g;

// A possessive right before the network name makes a plain word a handle: "mi insta juanperez".
const POSSESSIVE_BEFORE = /\b(?:mi|nuestro|nuestra|mi cuenta de|mi usuario de|nuestra cuenta de) $/;

// Words that follow "@", a network name or "alias" in ordinary sentences and are never the value.
const NOT_A_VALUE = new Set(
  ("la las lo los el un una uno unos unas de del en que y o a al mi mis tu tus su sus por para con sin " +
    "es son se me te le les nos hoy ayer manana tarde noche hora horas hs privado privada publico publica " +
    "nuevo nueva este esta ese esa eso mismo misma igual tambien ahi aca alla todo todos muy mas menos " +
    "no si ya bien tengo tiene hay subo subi").split(" "),
);

function trimValue(value: string): string {
  return value.replace(/[.\-]+$/, "");
}

function isPlausibleValue(value: string, minLength: number): boolean {
  return value.length >= minLength && /[a-z]/.test(value) && !NOT_A_VALUE.has(value);
}

function acceptSocialValue(text: string, match: RegExpExecArray, value: string): boolean {
  if (!isPlausibleValue(value, 3)) return false;
  const sep = match.groups?.sep ?? "";
  if (match.groups?.at || /[:=]/.test(sep) || sep === " como ") return true;
  if (/[._\d]/.test(value)) return true; // "ig juan.perez", "insta juanp_88"
  return POSSESSIVE_BEFORE.test(text.slice(Math.max(0, match.index - 25), match.index));
}

/** Span of the trailing `value` group (plus an "@" group right before it) of a match. */
function valueSpan(match: RegExpExecArray, value: string, reason: ContactReason): Span {
  const raw = match.groups?.value ?? "";
  const valueStart = match.index + match[0].length - raw.length;
  const start = valueStart - (match.groups?.at?.length ?? 0);
  return { start, end: valueStart + value.length, reason };
}

/** All e-mails, links, handles and aliases in a normalized text; spans may overlap. */
export function findTextContacts(text: string): Span[] {
  const spans: Span[] = [];
  for (const rule of RULES) {
    for (const m of text.matchAll(rule.pattern)) {
      // A URL or path swallowed the sentence's closing punctuation ("entrá a www.x.com.").
      const value = m[0].replace(/[.,;:!?)\]}'"]+$/, "");
      spans.push({ start: m.index, end: m.index + value.length, reason: rule.reason });
    }
  }
  for (const m of text.matchAll(HANDLE)) {
    const value = trimValue(m.groups?.value ?? "");
    if (isPlausibleValue(value, 2)) {
      spans.push({ start: m.index, end: m.index + 1 + value.length, reason: "handle" });
    }
  }
  for (const m of text.matchAll(SOCIAL)) {
    const value = trimValue(m.groups?.value ?? "");
    if (acceptSocialValue(text, m, value)) spans.push(valueSpan(m, value, "handle"));
  }
  for (const m of text.matchAll(ALIAS)) {
    const value = trimValue(m.groups?.value ?? "");
    // Aliases are word.word.word or carry digits; "el alias es correcto" has neither.
    if (value.length >= 6 && /[.\-\d]/.test(value) && /[a-z]/.test(value)) {
      spans.push(valueSpan(m, value, "bank"));
    }
  }
  return spans;
}
