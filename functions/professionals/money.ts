/**
 * Money and ratings leave as JSON numbers rounded to 2 decimals (the frontend calls `.toFixed` on
 * them; API.md rule 5). They arrive from Postgres as numeric strings and are only converted here,
 * at the edge — no arithmetic happens on them in TypeScript.
 */
export function moneyOut(value: string | number): number;
export function moneyOut(value: string | number | null | undefined): number | null;
export function moneyOut(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return Math.round(Number(value) * 100) / 100;
}

/** Same as `moneyOut` for non-null columns (rating_promedio, tasa_comision_actual). */
export function numberOut(value: string | number): number {
  return Math.round(Number(value) * 10000) / 10000;
}

/**
 * A money amount going into SQL, for a `numeric(12, 2)` column to round: the number's shortest
 * decimal form, so the rounding is decimal, as the monolith's Decimal did it (2.675 → 2.68;
 * `toFixed(2)` rounds the binary double, 2.67499…, to 2.67).
 */
export function moneyIn(value: number): string {
  return String(value);
}
