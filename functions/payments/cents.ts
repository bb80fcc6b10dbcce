/**
 * An amount in whole cents, for comparing money: amounts travel as decimals (MercadoPago's JSON
 * numbers, Postgres numeric as text), and float arithmetic on them drifts.
 *
 * @example
 * cents("1500.10") === cents(1500.1); // true
 */
export function cents(amount: number | string): number {
  return Math.round(Number(amount) * 100);
}
