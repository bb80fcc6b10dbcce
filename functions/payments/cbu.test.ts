import assert from "node:assert/strict";
import { cbuProblem, isCvu, isValidAlias, isValidCuit, maskDestination, withCheckDigits } from "./cbu.ts";

// Check digits computed by hand with BCRA's weights (block 1: 7,1,3,9,7,1,3; block 2:
// 3,9,7,1,3,9,7,1,3,9,7,1,3). E.g. 2850590 → 2·7+8·1+5·3+0·9+5·7+9·1+0·3 = 81 → 9;
// 0110599 → 75 → 5; 0000001234567 → 1·7+2·1+3·3+4·9+5·7+6·1+7·3 = 116 → 4.
const VALID = [
  "2850590940090418135201", // bank 285, branch 0590, account 4009041813520
  "0110599500000012345674", // bank 011 (Nación), branch 0599
  "0170123000000012345674", // block 1 sums to 40 → 0
  "0140999803000012345677",
  "0000003110000000000014", // a CVU (entity 000): 0000003 → 9 → 1; 1000000000001 → 6 → 4
];

Deno.test("valid CBUs and CVUs pass both check digits", () => {
  for (const cbu of VALID) assert.equal(cbuProblem(cbu), null, cbu);
  assert.equal(withCheckDigits("2850590", "4009041813520"), "2850590940090418135201");
  assert.equal(withCheckDigits("0110599", "0000001234567"), "0110599500000012345674");
  assert.equal(isCvu("0000003110000000000014"), true);
  assert.equal(isCvu("2850590940090418135201"), false);
});

Deno.test("a wrong check digit in either block, or a bad format, is named", () => {
  const table: [string, string][] = [
    ["2850590840090418135201", "bloque1"], // digit 8 changed
    ["2850590940090418135202", "bloque2"], // digit 22 changed
    ["2850590940090418135210", "bloque2"], // two account digits swapped
    ["1850590940090418135201", "bloque1"], // bank code changed
    ["285059094009041813520", "formato"], // 21 digits
    ["28505909400904181352011", "formato"], // 23 digits
    ["285059094009041813520a", "formato"],
    ["2850-5909-4009-0418-1352", "formato"],
    ["", "formato"],
  ];
  for (const [cbu, problem] of table) assert.equal(cbuProblem(cbu), problem, cbu);
});

Deno.test("aliases: 6–20 letters, digits, dots, hyphens", () => {
  for (const ok of ["mi.alias.mp", "PABLO-PLOMERO", "abc123", "a.b.c.d.e.f.g.h.i.j"]) {
    assert.equal(isValidAlias(ok), true, ok);
  }
  for (const bad of ["corto", "x".repeat(21), "con espacio", "ñandú.pago", "alias_con_guion", ""]) {
    assert.equal(isValidAlias(bad), false, bad);
  }
});

Deno.test("CUIT/CUIL check digit (mod 11)", () => {
  assert.equal(isValidCuit("20123456786"), true);
  assert.equal(isValidCuit("27000000006"), true); // 2·5+7·4 = 38 → 11 − 5 = 6
  assert.equal(isValidCuit("20123456787"), false);
  assert.equal(isValidCuit("2012345678"), false);
  assert.equal(isValidCuit("20-12345678-6"), false);
});

Deno.test("destinations are masked to their last 4 characters", () => {
  assert.equal(maskDestination("2850590940090418135201"), "******************5201");
  assert.equal(maskDestination("abc"), "abc");
});
