/**
 * The detectors never read the raw message: they read a folded copy where case, accents, look-alike
 * characters and spelled-out symbols and numbers no longer matter. Every character of that copy
 * remembers which span of the original produced it, so a match can be masked in the original wording.
 */
export type NormalizedText = {
  /** Lower-case ASCII-ish text: accents stripped, number words as digits, "arroba"/"[dot]" as symbols. */
  readonly text: string;
  /** `start[i]`..`end[i]` is the original span (UTF-16 offsets, end exclusive) behind `text[i]`. */
  readonly start: readonly number[];
  readonly end: readonly number[];
  /** True where the digit at `text[i]` came from a spelled-out number, which lowers the phone threshold. */
  readonly fromWord: readonly boolean[];
};

/**
 * Stands for a spoken "arroba"/"at". It is not "@" on purpose: the handle detector must not read
 * "una arroba de papas" as the handle "@de", while the e-mail detector accepts both characters.
 */
export const SPOKEN_AT = "\uE000";

// Zero-width and bidi control characters are dropped so "11\u200b5555" cannot split a number.
const INVISIBLE =
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/;
const COMBINING_MARK = /\p{M}/u;

const UNITS: Record<string, number> = {
  cero: 0,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
};
const TEENS_AND_TWENTIES: Record<string, number> = {
  diez: 10,
  once: 11,
  doce: 12,
  trece: 13,
  catorce: 14,
  quince: 15,
  dieciseis: 16,
  diecisiete: 17,
  dieciocho: 18,
  diecinueve: 19,
  veinte: 20,
  veintiuno: 21,
  veintidos: 22,
  veintitres: 23,
  veinticuatro: 24,
  veinticinco: 25,
  veintiseis: 26,
  veintisiete: 27,
  veintiocho: 28,
  veintinueve: 29,
};
const TENS: Record<string, number> = {
  treinta: 30,
  cuarenta: 40,
  cincuenta: 50,
  sesenta: 60,
  setenta: 70,
  ochenta: 80,
  noventa: 90,
};

// "un"/"una" are left out: they are articles far more often than digits, even in dictated numbers.
const UNIT_WORDS = Object.keys(UNITS).join("|");
const SIMPLE_NUMBER_WORDS = [...Object.keys(TEENS_AND_TWENTIES), ...Object.keys(UNITS)].join("|");
const TENS_WORDS = Object.keys(TENS).join("|");

/**
 * Second pass over the folded text. One alternation, tried left to right, so a bracketed "(at)" wins
 * over the bare "at" inside it and "cincuenta y cinco" wins over "cincuenta" alone.
 */
const SUBSTITUTIONS = new RegExp(
  [
    // "juan[at]mail[dot]com", "juan (arroba) mail": bracketed symbols are unambiguous obfuscation.
    String.raw`(?<bracketAt>[\[({]\s?(?:at|arroba)\s?[\])}])`,
    String.raw`(?<bracketDot>[\[({]\s?(?:dot|punto)\s?[\])}])`,
    // Spoken "arroba": the trailing space is eaten so "juan arroba mail" reads as "juan <at>mail".
    String.raw`(?<spokenAt>\b(?:arroba|at)\b\s?)`,
    // Spoken "punto" eats the spaces on both sides so "mail punto com" becomes "mail.com" and the
    // strict, space-free domain rules apply; "el punto de encuentro" becomes "el.de", which no rule takes.
    String.raw`(?<spokenDot>\s?\b(?:punto|dot)\b\s?)`,
    String.raw`(?<compound>\b(?:${TENS_WORDS}) y (?:${UNIT_WORDS})\b)`,
    String.raw`(?<tens>\b(?:${TENS_WORDS})\b)`,
    String.raw`(?<simple>\b(?:${SIMPLE_NUMBER_WORDS})\b)`,
  ].join("|"),
  "g",
);

/** Number words for a digit; exported for tests and for readers checking what is recognised. */
export function numberWordValue(word: string): number | undefined {
  const compound = /^(\w+) y (\w+)$/.exec(word);
  if (compound) return (TENS[compound[1]] ?? NaN) + (UNITS[compound[2]] ?? NaN);
  return UNITS[word] ?? TEENS_AND_TWENTIES[word] ?? TENS[word];
}

type Builder = { text: string[]; start: number[]; end: number[]; fromWord: boolean[] };

function push(b: Builder, chars: string, start: number, end: number, fromWord: boolean): void {
  // Per UTF-16 code unit, not per code point: the arrays are indexed like the joined string.
  for (let k = 0; k < chars.length; k++) {
    b.text.push(chars[k]);
    b.start.push(start);
    b.end.push(end);
    b.fromWord.push(fromWord);
  }
}

/** Case, accents and compatibility forms (full-width digits, math-bold letters) folded per character. */
function fold(original: string): Builder {
  const b: Builder = { text: [], start: [], end: [], fromWord: [] };
  let offset = 0;
  for (const ch of original) {
    const next = offset + ch.length;
    if (!INVISIBLE.test(ch)) {
      let folded = "";
      // Lower-case first: some capitals ("İ") decompose into a letter plus a mark only once lowered.
      for (const part of ch.toLowerCase().normalize("NFKD")) {
        if (!COMBINING_MARK.test(part)) folded += part;
      }
      // Every kind of whitespace becomes a plain space so the detectors only ever see " " and "\n".
      folded = folded.replace(/[^\S\n]/g, " ");
      push(b, folded, offset, next, false);
    }
    offset = next;
  }
  return b;
}

function substitute(folded: Builder): NormalizedText {
  const source = folded.text.join("");
  const out: Builder = { text: [], start: [], end: [], fromWord: [] };
  let cursor = 0;
  const copy = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      push(out, folded.text[i], folded.start[i], folded.end[i], folded.fromWord[i]);
    }
  };
  for (const match of source.matchAll(SUBSTITUTIONS)) {
    const from = match.index;
    const to = from + match[0].length;
    const g = match.groups ?? {};
    let replacement: string;
    let fromWord = false;
    if (g.bracketAt) replacement = "@";
    else if (g.bracketDot || g.spokenDot) replacement = ".";
    else if (g.spokenAt) replacement = SPOKEN_AT;
    else {
      replacement = String(numberWordValue(match[0]));
      fromWord = true;
    }
    copy(cursor, from);
    push(out, replacement, folded.start[from], folded.end[to - 1], fromWord);
    cursor = to;
  }
  copy(cursor, folded.text.length);
  return { text: out.text.join(""), start: out.start, end: out.end, fromWord: out.fromWord };
}

/** Folds `original` and maps every character of the result back to its span in `original`. */
export function normalizeForDetection(original: string): NormalizedText {
  return substitute(fold(original));
}
