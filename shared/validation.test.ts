import assert from "node:assert/strict";
import { jsonNumber, MONEY_MAX, moneyAmount } from "./validation.ts";

Deno.test("jsonNumber takes JSON numbers and decimal strings, nothing else", () => {
  for (const [input, expected] of [[5, 5], ["5", 5], [" 2.5 ", 2.5], ["-3", -3], [".5", 0.5], ["1e2", 100]]) {
    assert.equal(jsonNumber.parse(input), expected, JSON.stringify(input));
  }
  for (const bad of ["", " ", "0x10", "0b11", "0o7", "1,5", "abc", "Infinity", "NaN", true, [5], null, {}]) {
    const result = jsonNumber.safeParse(bad);
    assert.ok(!result.success, JSON.stringify(bad));
    assert.equal(result.error.issues[0].message, "Debe ser un número");
  }
});

Deno.test("moneyAmount: whole cents up to numeric(12, 2)'s largest, returned rounded to the cent", () => {
  const price = moneyAmount("El precio");
  for (const [input, expected] of [[100, 100], ["1000.50", 1000.5], [0.01, 0.01], [0.1 + 0.2, 0.3]]) {
    assert.equal(price.parse(input), expected, JSON.stringify(input));
  }
  assert.equal(price.parse(100.00000000000001), 100, "float noise is not a finer amount");
  assert.equal(price.parse(MONEY_MAX), MONEY_MAX);
  assert.equal(price.parse(MONEY_MAX - 0.01), 9_999_999_999.98, "cents hold at the top of the range");
  // Every cent of a range of ordinary prices is taken as itself.
  for (let cents = 1; cents <= 100_000; cents += 7) assert.equal(price.parse(cents / 100), cents / 100);
});

Deno.test("moneyAmount refuses what numeric(12, 2) would store as another amount", () => {
  const price = moneyAmount("El precio");
  const message = (input: unknown) => {
    const result = price.safeParse(input);
    assert.ok(!result.success, JSON.stringify(input));
    return result.error.issues[0].message;
  };
  // Each of these would be stored as 0.00 (a check violation) or as a different amount.
  for (const tiny of [1e-20, "1e-20", 5e-324, 0.004]) {
    assert.match(message(tiny), /El precio (debe ser mayor que cero|admite hasta dos decimales)/);
  }
  assert.equal(message(0.001), "El precio admite hasta dos decimales");
  assert.equal(message(1.005), "El precio admite hasta dos decimales");
  assert.equal(message(0), "El precio debe ser mayor que cero");
  assert.equal(message(-5), "El precio no puede ser menor que 0");
  assert.equal(message(MONEY_MAX + 0.01), "El precio es demasiado grande");
  assert.equal(message(1e400), "Debe ser un número");
  assert.equal(message("1e400"), "Debe ser un número", "a string too large for a double");
  assert.equal(message("0x10"), "Debe ser un número");
});
