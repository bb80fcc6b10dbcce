import assert from "node:assert/strict";
import { moneyIn, moneyOut, numberOut } from "./money.ts";

Deno.test("numeric strings leave as JSON numbers rounded to 2 decimals; null stays null", () => {
  assert.equal(moneyOut("5000.00"), 5000);
  assert.equal(moneyOut("1234.56"), 1234.56);
  assert.equal(moneyOut(null), null);
  assert.equal(numberOut("0.2000"), 0.2);
  assert.equal(numberOut("4.75"), 4.75);
  assert.equal(moneyIn(45000), "45000.00");
  assert.equal(moneyIn(0.1 + 0.2), "0.30");
});
