/**
 * Argentine payout destinations: CBU (banks) and CVU (payment providers such as MercadoPago)
 * share the BCRA 22-digit format with two check digits; an alias is the memorable name either
 * can have. Pure functions, so the rules are unit-tested without a database; the migration
 * repeats the check-digit rule as a table constraint (private.cbu_valido).
 */

/** Weights of block 1 (bank 3 + branch 4 digits) and block 2 (13 account digits), BCRA's rule. */
const BLOCK1_WEIGHTS = [7, 1, 3, 9, 7, 1, 3];
const BLOCK2_WEIGHTS = [3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3];

/** The check digit of `digits` under `weights`: (10 − Σ dᵢ·wᵢ mod 10) mod 10. */
function checkDigit(digits: string, weights: number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(digits[i]) * weights[i];
  return (10 - (sum % 10)) % 10;
}

export type CbuProblem = "formato" | "bloque1" | "bloque2";

/**
 * Why a CBU/CVU is not valid, or null when it is: 22 digits, digit 8 checks digits 1–7 and
 * digit 22 checks digits 9–21.
 *
 * @example
 * cbuProblem("2850590940090418135201"); // null
 * cbuProblem("2850590940090418135202"); // "bloque2"
 */
export function cbuProblem(cbu: string): CbuProblem | null {
  if (!/^\d{22}$/.test(cbu)) return "formato";
  if (checkDigit(cbu.slice(0, 7), BLOCK1_WEIGHTS) !== Number(cbu[7])) return "bloque1";
  if (checkDigit(cbu.slice(8, 21), BLOCK2_WEIGHTS) !== Number(cbu[21])) return "bloque2";
  return null;
}

/** Completes 7 + 13 digits with both check digits (tests and demo data build valid CBUs with it). */
export function withCheckDigits(bankBranch7: string, account13: string): string {
  if (!/^\d{7}$/.test(bankBranch7) || !/^\d{13}$/.test(account13)) {
    throw new Error("withCheckDigits needs 7 and 13 digits");
  }
  return `${bankBranch7}${checkDigit(bankBranch7, BLOCK1_WEIGHTS)}${account13}${
    checkDigit(account13, BLOCK2_WEIGHTS)
  }`;
}

/** A CVU is a CBU whose entity code (first 3 digits) is 000: a payment provider's account. */
export function isCvu(cbu: string): boolean {
  return cbu.startsWith("000");
}

/** An alias: 6–20 letters, digits, dots or hyphens (BCRA's alias rule). */
export function isValidAlias(alias: string): boolean {
  return /^[A-Za-z0-9.-]{6,20}$/.test(alias);
}

/**
 * CUIT/CUIL: 11 digits, the last one a mod-11 check of the first ten (weights 5,4,3,2,7,6,5,4,3,2;
 * 11 → 0; 10 never valid).
 *
 * @example
 * isValidCuit("20123456786"); // true
 */
export function isValidCuit(cuit: string): boolean {
  if (!/^\d{11}$/.test(cuit)) return false;
  const weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(cuit[i]), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(cuit[10]);
}

/** Spanish text of a CBU problem, for the 422 detail. */
export function cbuProblemText(problem: CbuProblem, kind: "CBU" | "CVU" = "CBU"): string {
  switch (problem) {
    case "formato":
      return `El ${kind} debe tener exactamente 22 dígitos`;
    case "bloque1":
      return `El ${kind} no es válido: el dígito verificador del primer bloque (banco y sucursal) no coincide`;
    case "bloque2":
      return `El ${kind} no es válido: el dígito verificador del segundo bloque (cuenta) no coincide`;
  }
}

/**
 * How a destination is shown outside the admin's payout export: only its last 4 characters.
 *
 * @example
 * maskDestination("2850590940090418135201"); // "******************5201"
 */
export function maskDestination(value: string): string {
  const visible = value.slice(-4);
  return "*".repeat(Math.max(value.length - 4, 0)) + visible;
}
